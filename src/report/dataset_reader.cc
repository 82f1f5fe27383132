#include "tunepack/report/dataset_reader.h"

#include <algorithm>
#include <vector>

#include <simdjson.h>

#include "report/json_file_records.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/core/utf8.h"
#include "tunepack/io/file.h"
#include "tunepack/io/line_reader.h"

namespace tunepack::report {
namespace {

Status ReadSeparatedFile(const std::string& path, const format::Format& format,
                         const DatasetVisitor& visitor);

// JSON Lines: a line of only blanks is no record.
bool IsBlankLine(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// Parses one JSON Lines record (copied into `copy`, which the parser needs padded).
simdjson::error_code ParseRecordJson(simdjson::dom::parser& parser, std::string& copy, std::string_view text,
                                     simdjson::dom::element& root) {
  copy.assign(text);
  return parser.parse(copy).get(root);
}

// Returns `part` as the reader sees it: itself when valid UTF-8, else repaired into `repaired`.
Result<std::string_view> RepairedPart(std::string_view part, std::string& repaired) {
  if (IsValidUtf8(part)) return part;
  TP_ASSIGN_OR_RETURN(RepairReport report, RepairUtf8(part, InvalidUtf8Policy::kReplace, &repaired));
  (void)report;
  return std::string_view(repaired);
}

Status ReadPlainFile(const std::string& path, const format::Format& format,
                     const DatasetVisitor& visitor) {
  if (!format.separator.empty()) return ReadSeparatedFile(path, format, visitor);
  TP_ASSIGN_OR_RETURN(std::string text, io::ReadWholeFile(path));
  std::string repaired;
  if (!IsValidUtf8(text)) {
    TP_ASSIGN_OR_RETURN(RepairReport report, RepairUtf8(text, InvalidUtf8Policy::kReplace, &repaired));
    (void)report;
    text.swap(repaired);
  }
  if (visitor.on_format) visitor.on_format(format);
  Status visit_status;
  uint64_t record = 0;
  Status split_status = format.split(text, [&](Example&& example, uint64_t line) {
    if (!visit_status.ok()) return;
    example.origin = Origin{path, record++, line};
    visit_status = visitor.on_example(example, line);
  });
  TP_RETURN_IF_ERROR(visit_status);
  if (!split_status.ok()) return visitor.on_unreadable(0, split_status.message());
  return Status::Ok();
}

// Splits one part of a file (or the whole file) with `format`, reporting its examples with
// their line numbers in the file (`first_line` is the line the part starts on).
Status SplitPart(const std::string& path, const format::Format& format, std::string_view part,
                 uint64_t first_line, uint64_t& record, const DatasetVisitor& visitor) {
  std::string repaired;
  TP_ASSIGN_OR_RETURN(part, RepairedPart(part, repaired));
  Status visit_status;
  Status split_status = format.split(part, [&](Example&& example, uint64_t line) {
    if (!visit_status.ok()) return;
    const uint64_t at = first_line + (line ? line - 1 : 0);
    example.origin = Origin{path, record++, at};
    visit_status = visitor.on_example(example, at);
  });
  TP_RETURN_IF_ERROR(visit_status);
  if (!split_status.ok()) return visitor.on_unreadable(first_line, split_status.message());
  return Status::Ok();
}

// Formats whose records are separated by a marker the writer refuses inside a record (text,
// markdown) are cut at the marker while reading, so memory holds one record, not the file.
Status ReadSeparatedFile(const std::string& path, const format::Format& format,
                         const DatasetVisitor& visitor) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::InputFile> in, io::InputFile::Open(path));
  if (visitor.on_format) visitor.on_format(format);
  const std::string& separator = format.separator;
  std::string buffer;
  size_t begin = 0;      // start of the current part in `buffer`
  size_t scan_from = 0;  // where the separator search resumes
  uint64_t line = 1;     // line of `begin` in the file
  uint64_t record = 0;
  std::string block(1 << 20, '\0');
  while (true) {
    TP_ASSIGN_OR_RETURN(const size_t n, in->Read(block.data(), block.size()));
    // Drop what was consumed before appending, so the buffer holds at most one part.
    buffer.erase(0, begin);
    scan_from -= begin;
    begin = 0;
    buffer.append(block.data(), n);
    for (size_t end; (end = buffer.find(separator, scan_from)) != std::string::npos;) {
      TP_RETURN_IF_ERROR(SplitPart(path, format, std::string_view(buffer).substr(begin, end - begin),
                                   line, record, visitor));
      const size_t next = end + separator.size();
      line += std::count(buffer.begin() + static_cast<std::ptrdiff_t>(begin),
                         buffer.begin() + static_cast<std::ptrdiff_t>(next), '\n');
      begin = scan_from = next;
    }
    scan_from = std::max(begin, buffer.size() >= separator.size() ? buffer.size() - separator.size() + 1 : 0);
    if (n == 0) break;
  }
  if (begin < buffer.size()) {
    TP_RETURN_IF_ERROR(SplitPart(path, format, std::string_view(buffer).substr(begin), line, record, visitor));
  }
  return Status::Ok();
}

Status ReadJsonLines(const std::string& path, const format::Format* forced,
                     const DatasetVisitor& visitor) {
  // Opened first, so a file that cannot be read fails before anything is reported.
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::LineReader> lines, io::LineReader::Open(path));
  simdjson::dom::parser parser;
  const format::Format* format = forced;
  bool announced = false;
  // Lines read before the format is known (they failed to parse) are reported once it is.
  std::vector<std::pair<uint64_t, std::string>> pending;
  auto announce = [&]() -> Status {
    announced = true;
    if (visitor.on_format) visitor.on_format(*format);
    for (const auto& [line, message] : pending) TP_RETURN_IF_ERROR(visitor.on_unreadable(line, message));
    pending.clear();
    return Status::Ok();
  };
  if (format) TP_RETURN_IF_ERROR(announce());
  auto unreadable = [&](uint64_t line, std::string message) -> Status {
    if (!announced) {
      pending.emplace_back(line, std::move(message));
      return Status::Ok();
    }
    return visitor.on_unreadable(line, message);
  };
  uint64_t record = 0;
  std::string copy;
  // One record's JSON text, starting on `line_number`.
  auto handle = [&](uint64_t line_number, std::string_view text) -> Status {
    simdjson::dom::element root;
    if (auto error = ParseRecordJson(parser, copy, text, root); error) {
      return unreadable(line_number, std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    if (format == nullptr) {
      format = format::DetectFormat(format::BuiltinFormats(), root);
      if (format == nullptr) {
        return InvalidArgumentError(path + ":" + std::to_string(line_number) +
                                    ": the records are in no known dataset format; pass " + OptionRef("format") +
                                    " (see `tunepack formats`)");
      }
      TP_RETURN_IF_ERROR(announce());
    }
    Example example;
    example.origin = Origin{path, record++, line_number};
    if (Status status = format->read(root, example); !status.ok()) {
      return unreadable(line_number, "not a valid " + format->name + " record: " + status.message());
    }
    return visitor.on_example(example, line_number);
  };
  if (IsContainerFile(path)) {
    // A .json file (a JSON array of records) or a Parquet file, read as `export` reads it.
    JsonFileVisitor records;
    records.on_record = handle;
    records.on_error = [&](uint64_t line_number, const std::string& message) {
      return unreadable(line_number, message);
    };
    TP_RETURN_IF_ERROR(ForEachContainerRecord(path, records));
  } else {
    std::string_view line;
    while (true) {
      TP_ASSIGN_OR_RETURN(const bool more, lines->Next(line));
      if (!more) break;
      if (IsBlankLine(line)) continue;
      TP_RETURN_IF_ERROR(handle(lines->line_number(), line));
    }
  }
  if (!announced) {
    if (pending.empty()) return Status::Ok();  // an empty file: nothing to report
    return InvalidArgumentError(path + ": no record is valid JSON; pass " + OptionRef("format") + " for a plain-file format");
  }
  return Status::Ok();
}

// JSON Lines records: each line of the record, as ReadJsonLines reads it.
class JsonLinesRecordReader final : public WrittenRecordReader {
 public:
  explicit JsonLinesRecordReader(const format::Format& format) : format_(format) {}

  Status Read(std::string_view record, const std::function<Status(const Example&)>& on_example,
              uint64_t& unreadable) override {
    if (record.empty()) return Status::Ok();
    if (record.back() != '\n') return FailedPreconditionError("a JSON Lines record that does not end its line");
    while (!record.empty()) {
      const size_t end = record.find('\n');
      const std::string_view line = record.substr(0, end);
      record.remove_prefix(end + 1);
      if (IsBlankLine(line)) continue;
      simdjson::dom::element root;
      if (ParseRecordJson(parser_, copy_, line, root)) {
        ++unreadable;
        continue;
      }
      Example example;
      if (!format_.read(root, example).ok()) {
        ++unreadable;
        continue;
      }
      TP_RETURN_IF_ERROR(on_example(example));
    }
    return Status::Ok();
  }

 private:
  const format::Format& format_;
  simdjson::dom::parser parser_;
  std::string copy_;
};

// Plain files cut at a separator: each record is one part, as ReadSeparatedFile splits it.
class SeparatedRecordReader final : public WrittenRecordReader {
 public:
  explicit SeparatedRecordReader(const format::Format& format) : format_(format) {}

  Status Read(std::string_view record, const std::function<Status(const Example&)>& on_example,
              uint64_t& unreadable) override {
    // The file reader skips an empty last part but splits an empty part between two others.
    if (record.empty()) return FailedPreconditionError("an empty plain-file record");
    TP_ASSIGN_OR_RETURN(const std::string_view part, RepairedPart(record, repaired_));
    Status visit_status;
    Status split_status = format_.split(part, [&](Example&& example, uint64_t) {
      if (visit_status.ok()) visit_status = on_example(example);
    });
    TP_RETURN_IF_ERROR(visit_status);
    if (!split_status.ok()) ++unreadable;
    return Status::Ok();
  }

 private:
  const format::Format& format_;
  std::string repaired_;
};

}  // namespace

std::unique_ptr<WrittenRecordReader> WrittenRecordReader::Create(const format::Format& format,
                                                                 const std::string& file_name) {
  // The same choice as ReadDataset with a forced format.
  const bool as_records = format.read && (!format.split || format::PlainFileFormatFor(file_name) == nullptr);
  if (as_records) {
    if (IsContainerFile(file_name)) return nullptr;
    return std::make_unique<JsonLinesRecordReader>(format);
  }
  if (format.split && !format.separator.empty()) return std::make_unique<SeparatedRecordReader>(format);
  return nullptr;
}

Status ReadDataset(const std::string& path, const format::Format* forced,
                   const DatasetVisitor& visitor) {
  if (forced != nullptr) {
    const bool as_records = forced->read && (!forced->split || format::PlainFileFormatFor(path) == nullptr);
    if (as_records) return ReadJsonLines(path, forced, visitor);
    if (forced->split) return ReadPlainFile(path, *forced, visitor);
    return InvalidArgumentError("format " + forced->name + " cannot be read");
  }
  if (const format::Format* plain = format::PlainFileFormatFor(path)) return ReadPlainFile(path, *plain, visitor);
  return ReadJsonLines(path, nullptr, visitor);
}

}  // namespace tunepack::report
