#include "tunepack/ingest/record_reader.h"

#include <cstring>
#include <utility>

#include "tunepack/io/file.h"

#include "ingest/record_readers.h"
#include "ingest/wide_unicode.h"

namespace tunepack::ingest {
namespace {

class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view bytes) : bytes_(bytes) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min(size, bytes_.size() - pos_);
    if (n > 0) std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

class FileSource : public ByteSource {
 public:
  explicit FileSource(std::unique_ptr<io::InputFile> file) : file_(std::move(file)) {}
  Result<size_t> Read(char* buffer, size_t size) override { return file_->Read(buffer, size); }

 private:
  std::unique_ptr<io::InputFile> file_;
};

}  // namespace

bool IsWideUnicodeHead(std::string_view head) { return internal::LooksLikeWideUnicode(head); }

std::unique_ptr<ByteSource> StringByteSource(std::string_view bytes) {
  return std::make_unique<StringSource>(bytes);
}

std::unique_ptr<ByteSource> FileByteSource(std::unique_ptr<io::InputFile> file) {
  return std::make_unique<FileSource>(std::move(file));
}

Status RegisterBuiltinRecordContainers(RecordContainerRegistry& registry) {
  TP_RETURN_IF_ERROR(registry.Add({"jsonl", {".jsonl", ".ndjson"},
                                   "JSON Lines: one JSON object per line", &internal::OpenJsonlReader}));
  TP_RETURN_IF_ERROR(registry.Add({"json", {".json"},
                                   "a JSON array of objects, or one object", &internal::OpenJsonReader}));
  TP_RETURN_IF_ERROR(registry.Add({"csv", {".csv"},
                                   "RFC 4180 CSV with a header row; values become strings",
                                   &internal::OpenCsvReader}));
  TP_RETURN_IF_ERROR(registry.Add({"parquet", {".parquet", ".pq"},
                                   "Apache Parquet: one record per row, nested columns as JSON",
                                   &internal::OpenParquetReader, "PAR1"}));
  return Status::Ok();
}

const RecordContainerRegistry& BuiltinRecordContainers() {
  static const RecordContainerRegistry* const registry = [] {
    auto* r = new RecordContainerRegistry;
    (void)RegisterBuiltinRecordContainers(*r);
    return r;
  }();
  return *registry;
}

const RecordContainer* FindBinaryContainer(std::string_view head) {
  for (const RecordContainer& container : BuiltinRecordContainers().entries()) {
    if (!container.magic.empty() && head.substr(0, container.magic.size()) == container.magic) return &container;
  }
  return nullptr;
}

Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::string_view container,
                                                       std::unique_ptr<ByteSource> source,
                                                       const RecordReaderOptions& options) {
  const RecordContainer* entry = BuiltinRecordContainers().Find(container);
  if (entry == nullptr) {
    return InvalidArgumentError("unknown record container '" + std::string(container) +
                                "' (known: " + BuiltinRecordContainers().Names() + ")");
  }
  if (source == nullptr) return InvalidArgumentError("no byte source given");
  if (!entry->magic.empty()) return entry->open(std::move(source), options);  // binary: as is
  if (options.continues_file) return entry->open(std::move(source), options);  // judged at the file's start
  // UTF-16 JSONL (PowerShell's default) has a NUL after every '\n': split as bytes, each
  // line would be malformed and the last NUL one more record.
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> decoded,
                      OpenWideDecodingSource(std::move(source), options.csv_invalid_utf8));
  return entry->open(std::move(decoded), options);
}

namespace internal {

void PadBatch(RecordBatch& batch) { batch.buffer.append(kRecordPadding, '\0'); }

std::string OversizeMessage(size_t max_record_bytes) {
  return "record exceeds " + std::to_string(max_record_bytes) + " bytes";
}

}  // namespace internal
}  // namespace tunepack::ingest
