#include "pipeline/source_reader.h"

#include <cstring>

#include "tunepack/core/hash.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/ingest/compression.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {

// Feeds a record reader: first the bytes already read for type detection, then the rest of
// the file; hashes and counts everything that passes through.
class HashingSource : public ingest::ByteSource {
 public:
  HashingSource(std::string head, std::unique_ptr<io::InputFile> file)
      : head_(std::move(head)), file_(std::move(file)) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    size_t n = 0;
    if (head_pos_ < head_.size()) {
      n = std::min(size, head_.size() - head_pos_);
      std::memcpy(buffer, head_.data() + head_pos_, n);
      head_pos_ += n;
    } else {
      TP_ASSIGN_OR_RETURN(n, file_->Read(buffer, size));
    }
    hasher_.Update(std::string_view(buffer, n));
    bytes_ += n;
    return n;
  }
  uint64_t bytes() const { return bytes_; }
  Hash128 Digest() const { return hasher_.Digest(); }

 private:
  std::string head_;
  size_t head_pos_ = 0;
  std::unique_ptr<io::InputFile> file_;
  StreamingHasher hasher_;
  uint64_t bytes_ = 0;
};

namespace {

constexpr size_t kHeadBytes = 64 << 10;
constexpr size_t kBatchBytes = 1 << 20;

// Yields `head` (bytes already read from `source` for type detection), then the rest of
// `source`.
class HeadThenSource : public ingest::ByteSource {
 public:
  HeadThenSource(std::string head, std::unique_ptr<ingest::ByteSource> source)
      : head_(std::move(head)), source_(std::move(source)) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    if (head_pos_ == head_.size()) return source_->Read(buffer, size);
    const size_t n = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, n);
    head_pos_ += n;
    return n;
  }

 private:
  std::string head_;
  size_t head_pos_ = 0;
  std::unique_ptr<ingest::ByteSource> source_;
};

// Reads up to `size` bytes from `source` into a string (fewer only at the end).
Result<std::string> ReadHead(ingest::ByteSource& source, size_t size) {
  std::string head(size, '\0');
  size_t filled = 0;
  while (filled < head.size()) {
    TP_ASSIGN_OR_RETURN(size_t n, source.Read(head.data() + filled, head.size() - filled));
    if (n == 0) break;
    filled += n;
  }
  head.resize(filled);
  return head;
}

Task Reject(std::shared_ptr<const SourceState> state, RejectReason reason, std::string detail) {
  Task task;
  task.kind = Task::Kind::kReject;
  task.rejection = Rejection{Origin{state->path, 0, 0}, 0, std::move(reason), std::move(detail)};
  task.source = std::move(state);
  return task;
}

// Returns the plain-file dataset format for `path` in convert mode: the one forced with
// --from, or the one whose extension the file has.
const format::Format* SplitFormatFor(const ExportOptions& options, const std::string& path) {
  const format::FormatRegistry& formats = format::BuiltinFormats();
  if (!options.input_format.empty()) {
    const format::Format* forced = formats.Find(options.input_format);
    return forced && forced->split ? forced : nullptr;
  }
  return format::PlainFileFormatFor(path);
}

}  // namespace

void SourceReader::Warn(std::string message) {
  events_.Warning(message);
  warnings_.push_back(std::move(message));
}

SourceInfo SourceReader::Read(size_t index, const SourceFile& file, const ByteRange& range,
                              const std::function<bool(Task)>& caller_submit) {
  auto state = std::make_shared<SourceState>();
  state->index = index;
  state->path = file.name;
  SourceInfo info{file.name, file.name == file.path ? std::string() : io::HexBytes(file.path),
                  "unreadable", 0, HashBytes("")};
  Event started;
  started.kind = EventKind::kInputStarted;
  started.input_index = index;
  started.path = file.name;
  events_.Publish(started);

  // Every task carries the prefix of the file read so far and its hash, so that --resume
  // can prove the input is unchanged up to the tasks it skips.
  const HashingSource* hashing_now = nullptr;
  uint64_t head_bytes = 0;
  Hash128 head_hash = HashBytes("");
  const std::function<bool(Task)> submit = [&](Task task) {
    task.prefix_bytes = hashing_now ? hashing_now->bytes() : head_bytes;
    task.prefix_hash = hashing_now ? hashing_now->Digest() : head_hash;
    return caller_submit(std::move(task));
  };

  if (file.skip_reason) {
    info.type = file.skip_reason == RejectReason::kUnreadable ? "unreadable" : "skipped";
    submit(Reject(state, *file.skip_reason, file.skip_detail));
    return info;
  }
  Result<std::unique_ptr<io::InputFile>> input = io::InputFile::Open(file.path);
  if (!input.has_value()) {
    submit(Reject(state, RejectReason::kUnreadable, io::DisplayPath(input.error().message())));
    return info;
  }
  std::string head(kHeadBytes, '\0');
  size_t filled = 0;
  while (filled < head.size()) {
    Result<size_t> n = (*input)->Read(head.data() + filled, head.size() - filled);
    if (!n.has_value()) {
      submit(Reject(state, RejectReason::kUnreadable, io::DisplayPath(n.error().message())));
      return info;
    }
    if (*n == 0) break;
    filled += *n;
  }
  head.resize(filled);
  head_bytes = head.size();
  head_hash = HashBytes(head);
  if (head.empty()) {
    info.type = "empty";
    submit(Reject(state, RejectReason::kEmptyFile, "the file is empty"));
    return info;
  }

  // A compressed file is read through a decompressor, below which the hashing source still
  // sees the file's own bytes: resume offsets and hashes refer to the file on disk, and its
  // decompressed content (and the name inside, README.gz -> README) decides the type.
  std::unique_ptr<HashingSource> hashing;
  std::unique_ptr<ingest::ByteSource> content;
  std::string type_name = file.path;
  decompressing_ = nullptr;
  if (const ingest::Compression* compression = ingest::DetectCompression(head)) {
    hashing = std::make_unique<HashingSource>(std::move(head), std::move(*input));
    hashing_now = hashing.get();
    Result<std::unique_ptr<ingest::DecompressingSource>> opened =
        ingest::DecompressingSource::Open(*compression, std::move(hashing), options_.max_decompressed_bytes);
    if (!opened.has_value()) {
      submit(Reject(state, RejectReason::kUnreadable, opened.error().message()));
      return info;
    }
    decompressing_ = opened->get();
    type_name = ingest::InnerName(file.path, *compression);
    Result<std::string> inner_head = ReadHead(**opened, kHeadBytes);
    if (!inner_head.has_value()) {
      info.type = compression->name;
      info.bytes = hashing_now->bytes();
      Task task = Reject(state, ReadFailureReason(RejectReason::kUnreadable),
                         inner_head.error().message());
      task.input_bytes = info.bytes;
      submit(std::move(task));
      return info;
    }
    head = std::move(*inner_head);
    if (head.empty()) {
      info.type = "empty";
      submit(Reject(state, RejectReason::kEmptyFile, "the file decompresses to nothing"));
      return info;
    }
    content = std::make_unique<HeadThenSource>(head, std::move(*opened));
  }

  ingest::InputType type = ingest::DetectInputType(type_name, head);
  if (!type.warning.empty() && range.begin == 0) Warn(state->path + ": " + type.warning);
  if (!range.whole() && (decompressing_ != nullptr || type.kind != ingest::InputKind::kRecords ||
                         type.reader != "jsonl" || ingest::IsWideUnicodeHead(head))) {
    // Ranks cut only plain JSON Lines files (CanCutRecordFile): this one changed since.
    info.type = type.reader;
    submit(Reject(state, RejectReason::kUnreadable,
                  "the file changed while the ranks of the sharded export were reading it; run them again"));
    return info;
  }
  if (type.kind == ingest::InputKind::kBinary) {
    info.type = "binary";
    info.bytes = file.size;
    Task task = Reject(state, RejectReason::kBinaryFile,
                       decompressing_ ? "binary content, not text, once decompressed: skipped"
                                      : "binary content, not text: skipped");
    task.input_bytes = file.size;
    submit(std::move(task));
    return info;
  }
  info.type = type.reader;
  if (content == nullptr) {
    hashing = std::make_unique<HashingSource>(std::move(head), std::move(*input));
    hashing_now = hashing.get();
    content = std::move(hashing);
  }
  if (type.kind == ingest::InputKind::kRecords) {
    ReadRecords(state, type.reader, *hashing_now, std::move(content), file, range, info, submit);
    return info;
  }

  // One document (or, when converting, one dataset file to split): read it whole.
  const HashingSource& file_bytes = *hashing_now;
  ingest::ByteSource& source = *content;
  std::string bytes;
  std::string buffer(1 << 20, '\0');
  Status read_status;
  while (true) {
    Result<size_t> n = source.Read(buffer.data(), buffer.size());
    if (!n.has_value()) {
      read_status = n.error();
      break;
    }
    if (*n == 0) break;
    if (bytes.size() + *n > options_.max_document_bytes) {
      read_status = ResourceExhaustedError("larger than " + OptionRef("max-document-bytes") + " (" +
                                           std::to_string(options_.max_document_bytes) + ")");
      break;
    }
    bytes.append(buffer.data(), *n);
  }
  info.bytes = file_bytes.bytes();
  info.hash = file_bytes.Digest();
  if (!read_status.ok()) {
    const bool too_large = read_status.code() == StatusCode::kResourceExhausted;
    Task task = Reject(state, ReadFailureReason(too_large ? RejectReason::kTooLarge : RejectReason::kUnreadable),
                       read_status.message());
    task.input_bytes = info.bytes;
    submit(std::move(task));
    return info;
  }
  Task task;
  task.input_bytes = info.bytes;
  if (options_.dataset_inputs) {
    state->split_format = SplitFormatFor(options_, file.name);
    if (state->split_format == nullptr) {
      Task reject = Reject(state, RejectReason::kUnrecognizedFile,
                           "not a dataset file: convert reads JSONL/JSON/CSV/Parquet records and "
                           "text, markdown or chatml files (pass " + OptionRef("from") +
                               " FORMAT); use `tunepack export` for documents");
      reject.input_bytes = info.bytes;
      submit(std::move(reject));
      return info;
    }
    task.kind = Task::Kind::kSplitFile;
  } else {
    state->document_reader = ingest::BuiltinDocumentReaders().Find(type.reader);
    if (state->document_reader == nullptr) {
      Task reject = Reject(state, RejectReason::kUnreadable, "no reader for type '" + type.reader + "'");
      reject.input_bytes = info.bytes;
      submit(std::move(reject));
      return info;
    }
    task.kind = Task::Kind::kDocument;
  }
  task.source = state;
  task.bytes = std::move(bytes);
  submit(std::move(task));
  return info;
}

const format::Format* SourceReader::DetectRecordFormat(const std::string& path,
                                                       const ingest::RecordBatch& batch, bool warn) {
  for (const ingest::RecordSpan& span : batch.records) {
    if (!span.error.empty()) continue;
    simdjson::dom::element root;
    if (parser_.parse(batch.buffer.data() + span.begin, span.size, false).get(root)) continue;
    const format::Format* detected = format::DetectFormat(format::BuiltinFormats(), root);
    if (detected == nullptr && warn) {
      Warn(path + ": records are in no known dataset format; pass " + OptionRef("text-field") + " FIELD or " +
           OptionRef("map") + " ROLE=FIELD (see `tunepack formats`)");
    }
    return detected;
  }
  return nullptr;
}

const format::Format* SourceReader::DetectRecordFormatAtStart(const SourceFile& file) {
  Result<std::unique_ptr<io::InputFile>> input = io::InputFile::Open(file.path);
  if (!input.has_value()) return nullptr;
  ingest::RecordReaderOptions reader_options;
  reader_options.max_record_bytes = options_.max_record_bytes;
  reader_options.csv_invalid_utf8 = options_.on_invalid_utf8;
  Result<std::unique_ptr<ingest::RecordReader>> reader = ingest::OpenRecordReader(
      "jsonl", std::make_unique<HashingSource>(std::string(), std::move(*input)), reader_options);
  if (!reader.has_value()) return nullptr;
  ingest::RecordBatch batch;
  Result<bool> more = (*reader)->Next(batch, kBatchBytes);
  if (!more.has_value() || !*more) return nullptr;
  return DetectRecordFormat(file.name, batch, /*warn=*/false);  // the rank reading the start warns
}

RejectReason SourceReader::ReadFailureReason(RejectReason fallback) const {
  if (decompressing_ == nullptr) return fallback;
  return decompressing_->reason().value_or(fallback);
}

bool SourceReader::ReadRecords(const std::shared_ptr<SourceState>& state,
                               const std::string& container, const HashingSource& file_bytes,
                               std::unique_ptr<ingest::ByteSource> source, const SourceFile& file,
                               const ByteRange& range, SourceInfo& info,
                               const std::function<bool(Task)>& submit) {
  const HashingSource* hashing = &file_bytes;
  auto finish = [&] {
    info.bytes = hashing->bytes();
    info.hash = hashing->Digest();
  };
  ingest::RecordReaderOptions reader_options;
  reader_options.max_record_bytes = options_.max_record_bytes;
  reader_options.csv_invalid_utf8 = options_.on_invalid_utf8;
  LinePrefix prefix;
  if (!range.whole()) {
    // A rank's byte range: the lines before it are counted, not read as records, so the
    // records keep the numbers and lines one process gives them.
    auto ranged = std::make_unique<LineRangeSource>(std::move(source), range);
    Result<LinePrefix> skipped = ranged->SkipPrefix();
    if (!skipped.has_value()) {
      Task reject = Reject(state, RejectReason::kUnreadable, skipped.error().message());
      reject.input_bytes = hashing->bytes();
      finish();
      return submit(std::move(reject));
    }
    prefix = *skipped;
    reader_options.continues_file = range.begin > 0;
    reader_options.first_line = prefix.lines + 1;
    source = std::move(ranged);
  }
  Result<std::unique_ptr<ingest::RecordReader>> reader =
      ingest::OpenRecordReader(container, std::move(source), reader_options);
  if (!reader.has_value()) {
    submit(Reject(state, RejectReason::kUnreadable, reader.error().message()));
    return true;
  }
  if (!options_.input_format.empty()) {
    state->record_format = format::BuiltinFormats().Find(options_.input_format);
  }
  const bool mapped = !options_.mapping.fields.empty() || !options_.mapping.text_field.empty();
  bool detected = !options_.input_format.empty() || mapped;
  if (!detected && !options_.example_template && range.begin > 0) {
    state->record_format = DetectRecordFormatAtStart(file);
    detected = true;
  }
  uint64_t records = prefix.records;
  uint64_t consumed = range.begin > 0 ? hashing->bytes() : 0;
  while (true) {
    Task task;
    // Next clears the batch (the JSON Lines reader overwrites the stale bytes in place).
    if (buffers_ != nullptr) task.batch.buffer = buffers_->TakeWithStaleBytes();
    Result<bool> more = (*reader)->Next(task.batch, kBatchBytes);
    if (!more.has_value()) {
      Task reject = Reject(state, ReadFailureReason(RejectReason::kUnreadable), more.error().message());
      reject.rejection.origin.record = records;
      reject.input_bytes = hashing->bytes() - consumed;
      finish();
      return submit(std::move(reject));
    }
    if (!*more) break;
    if (!detected && !options_.example_template) {  // --template reads records itself
      // Detection happens once per file, before the first batch leaves, so every record of
      // the file is read the same way.
      state->record_format = DetectRecordFormat(state->path, task.batch);
      detected = true;
    }
    task.kind = Task::Kind::kRecords;
    task.source = state;
    task.first_record = records;
    task.input_bytes = hashing->bytes() - consumed;
    consumed = hashing->bytes();
    records += task.batch.records.size();
    if (!submit(std::move(task))) {
      finish();
      return false;
    }
  }
  finish();
  // Only the rank that reads to the file's end can tell that the file holds no record at all.
  if (records == 0 && !range.end) {
    Task reject = Reject(state, RejectReason::kEmptyFile, "the file holds no records");
    reject.input_bytes = info.bytes - consumed;
    return submit(std::move(reject));
  }
  return true;
}

}  // namespace tunepack::pipeline
