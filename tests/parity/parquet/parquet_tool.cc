// parquet_tool: the Parquet module on the command line, for the read-back tests against
// DuckDB and hyparquet (run_parquet_parity.mjs).
//   parquet_tool write IN.jsonl OUT.parquet [--compression none|snappy|zstd|gzip]
//                [--row-group-bytes N] [--page-bytes N] [--no-dictionary]
//   parquet_tool read IN.parquet           (JSON Lines on stdout)
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "tunepack/parquet/parquet.h"

namespace {

using namespace tunepack;           // NOLINT: a test tool
using namespace tunepack::parquet;  // NOLINT

class FileOutput : public OutputStream {
 public:
  explicit FileOutput(const std::string& path) : out_(path, std::ios::binary) {}
  Status Write(std::string_view bytes) override {
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return out_ ? Status::Ok() : InternalError("write failed");
  }

 private:
  std::ofstream out_;
};

int Fail(const Status& status) {
  std::cerr << "parquet_tool: " << status.message() << "\n";
  return 2;
}

int Write(int argc, char** argv) {
  WriterOptions options;
  for (int i = 4; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-dictionary") {
      options.dictionary = false;
      continue;
    }
    if (i + 1 >= argc) return Fail(InvalidArgumentError(flag + " needs a value"));
    const std::string value = argv[++i];
    if (flag == "--compression") {
      Result<Compression> c = kCompressions.Parse(value);
      if (!c.ok()) return Fail(c.error());
      options.compression = *c;
    } else if (flag == "--row-group-bytes") {
      options.row_group_bytes = std::stoull(value);
    } else if (flag == "--page-bytes") {
      options.page_bytes = std::stoull(value);
    } else {
      return Fail(InvalidArgumentError("unknown flag " + flag));
    }
  }
  std::ifstream in(argv[2], std::ios::binary);
  FileOutput out(argv[3]);
  auto writer = ParquetWriter::Create(out, options);
  if (!writer.ok()) return Fail(writer.error());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Status status = (*writer)->Write(line);
    if (!status.ok()) return Fail(status);
  }
  Status closed = (*writer)->Close();
  return closed.ok() ? 0 : Fail(closed);
}

int Read(const char* path) {
  auto file = OpenRandomAccessFile(path);
  if (!file.ok()) return Fail(file.error());
  ReaderOptions options;
  options.display_name = path;
  auto reader = ParquetReader::Open(std::move(*file), options);
  if (!reader.ok()) return Fail(reader.error());
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    std::vector<std::string> records;
    Status status = (*reader)->ReadRowGroup(g, records);
    if (!status.ok()) return Fail(status);
    for (const std::string& r : records) std::cout << r << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "write") == 0) return Write(argc, argv);
  if (argc == 3 && std::strcmp(argv[1], "read") == 0) return Read(argv[2]);
  std::cerr << "usage: parquet_tool write IN.jsonl OUT.parquet [options] | parquet_tool read IN.parquet\n";
  return 2;
}
