#include "pipeline/byte_range.h"

#include <algorithm>
#include <cstring>

#include "tunepack/ingest/compression.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/io/file.h"

namespace tunepack::pipeline {
namespace {

constexpr size_t kBufferBytes = 1 << 20;

// What the JSON Lines reader takes for nothing: a line of these only is blank, no record.
bool IsBlankByte(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

bool CanCutRecordFile(const SourceFile& file) {
  if (file.skip_reason || file.path == "-" || file.size == 0) return false;
  Result<std::unique_ptr<io::InputFile>> input = io::InputFile::Open(file.path);
  if (!input.has_value()) return false;
  std::string head(ingest::kSniffHeadBytes, '\0');
  size_t filled = 0;
  while (filled < head.size()) {
    Result<size_t> n = (*input)->Read(head.data() + filled, head.size() - filled);
    if (!n.has_value()) return false;
    if (*n == 0) break;
    filled += *n;
  }
  head.resize(filled);
  // The same judgements SourceReader makes on the same first bytes, so every rank, and the
  // rank that reads the file's start, agree on how the file is read.
  if (ingest::DetectCompression(head) != nullptr || ingest::IsWideUnicodeHead(head)) return false;
  const ingest::InputType type = ingest::DetectInputType(file.path, head);
  return type.kind == ingest::InputKind::kRecords && type.reader == "jsonl";
}

LineRangeSource::LineRangeSource(std::unique_ptr<ingest::ByteSource> file, ByteRange range)
    : file_(std::move(file)), range_(range), buffer_(kBufferBytes, '\0') {}

Result<bool> LineRangeSource::Fill() {
  while (buffer_begin_ == buffer_end_) {
    TP_ASSIGN_OR_RETURN(size_t n, file_->Read(buffer_.data(), buffer_.size()));
    if (n == 0) return false;
    buffer_begin_ = 0;
    buffer_end_ = n;
  }
  return true;
}

void LineRangeSource::Consume(size_t n) {
  buffer_begin_ += n;
  offset_ += n;
}

Result<LinePrefix> LineRangeSource::SkipPrefix() {
  LinePrefix prefix;
  if (range_.begin == 0) return prefix;
  bool blank = true;  // the current line holds only blank bytes so far
  while (true) {
    TP_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) {
      // The file ends in the prefix: its unfinished last line is the previous rank's record.
      if (!blank) ++prefix.records;
      return prefix;
    }
    const char* const start = buffer_.data() + buffer_begin_;
    const char* const end = buffer_.data() + buffer_end_;
    const char* p = start;
    // The reader drops a UTF-8 BOM before the file's first line.
    if (offset_ == 0 && end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end) {
      if (blank) {
        while (p < end && IsBlankByte(*p)) ++p;
        if (p == end) break;
        if (*p != '\n') blank = false;
      }
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (newline == nullptr) {
        p = end;
        break;
      }
      p = newline + 1;
      ++prefix.lines;
      if (!blank) ++prefix.records;
      blank = true;
      if (offset_ + static_cast<uint64_t>(p - start) >= range_.begin) {
        Consume(static_cast<size_t>(p - start));
        at_line_start_ = true;
        return prefix;
      }
    }
    Consume(static_cast<size_t>(p - start));
    at_line_start_ = false;
  }
}

Result<size_t> LineRangeSource::Read(char* out, size_t size) {
  if (finished_ || size == 0) return size_t{0};
  TP_ASSIGN_OR_RETURN(const bool more, Fill());
  if (!more) {
    finished_ = true;
    return size_t{0};
  }
  const char* const p = buffer_.data() + buffer_begin_;
  size_t n = std::min(size, buffer_end_ - buffer_begin_);
  if (range_.end) {
    if (offset_ >= *range_.end) {
      // Past the range's end: only the rest of the line the end falls in.
      if (at_line_start_) {
        finished_ = true;
        return size_t{0};
      }
      if (const void* newline = std::memchr(p, '\n', n)) {
        n = static_cast<size_t>(static_cast<const char*>(newline) - p) + 1;
        finished_ = true;
      }
    } else {
      n = static_cast<size_t>(std::min<uint64_t>(n, *range_.end - offset_));
    }
  }
  std::memcpy(out, p, n);
  at_line_start_ = p[n - 1] == '\n';
  Consume(n);
  return n;
}

}  // namespace tunepack::pipeline
