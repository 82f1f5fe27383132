// JSON Lines: one record per '\n'-terminated line, split in constant memory. The reader does
// not parse JSON; it only finds line boundaries, so it runs at memory speed and leaves
// validation (with simdjson) to the stage that maps records.
#include <algorithm>
#include <string>

#include "ingest/record_readers.h"

namespace tunepack::ingest::internal {
namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

class JsonlReader : public RecordReader {
 public:
  JsonlReader(std::unique_ptr<ByteSource> source, const RecordReaderOptions& options)
      : source_(std::move(source)),
        max_bytes_(options.max_record_bytes),
        line_(options.first_line),
        first_line_(!options.continues_file) {}

  // The lines are read into one buffer that becomes the batch's: each record is a span of
  // the bytes as read, not a copy. Only an unfinished last line moves to the next buffer.
  Result<bool> Next(RecordBatch& batch, size_t target_bytes) override {
    batch.records.clear();
    // The batch's own buffer (one the caller recycles, or a new one) receives the lines.
    // Its bytes are only overwritten, never cleared (Fill grows it when a read needs more):
    // growing a std::string zero-fills, and a recycled buffer already has about a batch's size.
    std::string buffer = std::move(batch.buffer);
    const size_t carried = end_ - start_;
    buffer.reserve(target_bytes + kReadChunkBytes + kRecordPadding);
    if (buffer.size() < carried) buffer.resize(carried);
    pending_.copy(buffer.data(), carried, start_);
    scanned_ -= start_;
    end_ = carried;
    start_ = 0;
    pending_.swap(buffer);
    target_bytes_ = target_bytes;
    while (start_ < target_bytes || batch.records.empty()) {
      const size_t newline = Bytes().find('\n', scanned_);
      if (newline == std::string::npos) {
        scanned_ = end_;
        const size_t have = end_ - start_ + dropped_blank_;
        if (skipping_) {
          Discard();
        } else if (have > max_bytes_ + 1 + (first_line_ ? 3 : 0)) {
          // +1: a trailing '\r' is not part of the record; +3: nor is a leading BOM.
          // Drop what we have: buffering a multi-gigabyte line whole is what must not
          // happen. Whitespace so far may still turn out to be a blank line, which is no
          // record at all, so it is only counted; anything else is reported now.
          if (IsBlank(WithoutBom(Bytes().substr(start_)))) {
            dropped_blank_ = have;
            first_line_bom_checked_ = true;
          } else {
            batch.records.push_back({start_, 0, line_, OversizeMessage(max_bytes_), 0, true});
            skipping_ = true;
            dropped_blank_ = 0;
          }
          Discard();
        }
        if (eof_) {
          if (!skipping_ && end_ > start_) EmitLine(end_, batch);
          start_ = scanned_ = end_;
          break;
        }
        TP_RETURN_IF_ERROR(Fill());
        continue;
      }
      if (skipping_) {
        skipping_ = false;
        first_line_ = false;
      } else {
        EmitLine(newline, batch);
      }
      ++line_;
      start_ = scanned_ = newline + 1;
    }
    // The lines go with the batch; the unfinished one stays for the next.
    batch.buffer = std::move(pending_);
    pending_.assign(batch.buffer, start_, end_ - start_);
    batch.buffer.resize(start_);
    scanned_ -= start_;
    end_ -= start_;
    start_ = 0;
    PadBatch(batch);
    return !batch.records.empty();
  }

 private:
  // Returns `text` without a UTF-8 BOM when it starts the first line.
  std::string_view WithoutBom(std::string_view text) const {
    if (first_line_ && !first_line_bom_checked_ && text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);
    }
    return text;
  }

  // Adds the line pending_[start_, end) (without its '\n') as a record unless it is blank.
  // When whitespace before it was dropped (dropped_blank_), the line is blank or oversize.
  void EmitLine(size_t end, RecordBatch& batch) {
    std::string_view line = WithoutBom(Bytes().substr(start_, end - start_));
    first_line_ = false;
    const size_t dropped = dropped_blank_;
    dropped_blank_ = 0;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlank(line)) return;
    if (line.size() + dropped > max_bytes_) {
      batch.records.push_back({start_, 0, line_, OversizeMessage(max_bytes_), 0, true});
      return;
    }
    batch.records.push_back({static_cast<size_t>(line.data() - pending_.data()), line.size(), line_, {}, 0});
  }

  // Drops the bytes of the current (oversize or so far blank) line read so far.
  void Discard() { end_ = scanned_ = start_; }

  // The bytes read into pending_ (beyond them it holds stale bytes of an earlier batch).
  std::string_view Bytes() const { return std::string_view(pending_.data(), end_); }

  // Reads more after what pending_ holds (the lines of the batch so far stay where their
  // records point): what the batch still wants in one read, at least a chunk.
  Status Fill() {
    const size_t size = std::max(kReadChunkBytes, target_bytes_ > end_ ? target_bytes_ - end_ : 0);
    if (pending_.size() < end_ + size) pending_.resize(end_ + size);
    TP_ASSIGN_OR_RETURN(size_t got, source_->Read(pending_.data() + end_, size));
    end_ += got;
    if (got == 0) eof_ = true;
    return Status::Ok();
  }

  std::unique_ptr<ByteSource> source_;
  size_t max_bytes_;
  std::string pending_;   // this batch's lines, then bytes read but not yet consumed
  size_t end_ = 0;        // the end of the bytes read in pending_ (see Bytes())
  size_t target_bytes_ = 0;  // the size of the batch being read
  size_t start_ = 0;      // where the current line starts in pending_
  size_t scanned_ = 0;    // pending_ before this has no '\n' after start_
  uint64_t line_ = 1;     // 1-based line number of the current line
  bool first_line_ = true;              // the current line is the file's first
  bool eof_ = false;
  bool skipping_ = false;  // inside an oversize line, dropping bytes until its '\n'
  bool first_line_bom_checked_ = false;  // its start (and any BOM) was already dropped
  size_t dropped_blank_ = 0;  // whitespace of the current line dropped unbuffered
};

}  // namespace

std::unique_ptr<RecordReader> OpenJsonlReader(std::unique_ptr<ByteSource> source,
                                              const RecordReaderOptions& options) {
  return std::make_unique<JsonlReader>(std::move(source), options);
}

}  // namespace tunepack::ingest::internal
