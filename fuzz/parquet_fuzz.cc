// Fuzzes the Parquet reader with untrusted bytes, and the writer/reader pair with untrusted
// records. Besides "no crash, no hang, no unbounded memory" it traps when a contract breaks:
//   - every record the reader returns is one valid JSON object;
//   - opening and reading the same bytes twice gives the same records (no hidden state);
//   - records the writer accepts read back, and writing them again gives the same bytes.
// The first input byte picks the mode and options, so one corpus covers both: a Parquet file
// (flags & 1 == 0, read with a small row-group budget) or JSON Lines to write (flags & 1).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/json_syntax.h"
#include "tunepack/parquet/parquet.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;           // NOLINT: a fuzz target, not library code
using namespace tunepack::parquet;  // NOLINT

// Returns every record, or the first error's message.
std::vector<std::string> ReadAll(std::string_view bytes, bool omit_nulls, std::string& error) {
  ReaderOptions options;
  options.display_name = "fuzz.parquet";
  options.omit_nulls = omit_nulls;
  options.max_row_group_bytes = 32 << 20;
  std::vector<std::string> records;
  auto reader = ParquetReader::Open(MemoryFile(std::string(bytes)), options);
  if (!reader.ok()) {
    error = reader.error().message();
    return records;
  }
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    Status status = (*reader)->ReadRowGroup(g, records);
    if (!status.ok()) {
      error = status.message();
      return records;
    }
  }
  return records;
}

void FuzzReader(std::string_view bytes, uint8_t flags) {
  std::string first_error, second_error;
  const std::vector<std::string> first = ReadAll(bytes, flags & 2, first_error);
  for (const std::string& record : first) {
    Check(!record.empty() && record.front() == '{');
    Check(FindJsonSyntaxError(record).offset == std::string_view::npos);
  }
  const std::vector<std::string> second = ReadAll(bytes, flags & 2, second_error);
  Check(first == second && first_error == second_error);
}

std::string Write(const std::vector<std::string_view>& lines, const WriterOptions& options,
                  std::vector<std::string>& accepted) {
  StringOutput out;
  auto writer = ParquetWriter::Create(out, options);
  Check(writer.ok());
  for (std::string_view line : lines) {
    if ((*writer)->Write(line).ok()) accepted.emplace_back(line);
  }
  if (!(*writer)->Close().ok()) return {};
  return out.bytes;
}

void FuzzWriter(std::string_view text, uint8_t flags) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size() && lines.size() < 200) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  WriterOptions options;
  options.compression = static_cast<Compression>((flags >> 1) & 3);
  options.row_group_bytes = 1 + (flags >> 3) * 16;
  options.page_bytes = 1 + (flags >> 5) * 8;
  options.dictionary = flags & 4;
  std::vector<std::string> accepted, accepted_again;
  const std::string bytes = Write(lines, options, accepted);
  if (bytes.empty()) return;  // e.g. records without any field
  std::string error;
  const std::vector<std::string> records = ReadAll(bytes, true, error);
  Check(error.empty());
  Check(records.size() == accepted.size());
  std::vector<std::string_view> again(accepted.begin(), accepted.end());
  Check(Write(again, options, accepted_again) == bytes);

  // With the schema of every record given up front, every record that is a JSON object is
  // taken, whatever row group it falls in, and reads back.
  SchemaBuilder builder;
  std::vector<std::string_view> objects;
  for (std::string_view line : lines) {
    if (builder.Add(line).ok()) objects.push_back(line);
  }
  options.schema = builder.Finish();
  if (options.schema->children.empty()) return;  // Parquet needs a column
  std::vector<std::string> taken;
  const std::string fixed = Write(objects, options, taken);
  Check(taken.size() == objects.size());
  Check(ReadAll(fixed, false, error).size() == objects.size() && error.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (flags & 1) {
    FuzzWriter(bytes, flags);
  } else {
    FuzzReader(bytes, flags);
  }
  return 0;
}
