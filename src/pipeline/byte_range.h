// Byte ranges of one record file, for a sharded export whose rank boundary falls inside a
// large JSON Lines file: which files may be cut (CanCutRecordFile), and the source a rank
// reads its range through (LineRangeSource). The rule is the usual one: a rank starts at the
// first line that begins at or after its range's start and reads past its range's end to
// finish the last line it started, so every line is read by exactly one rank. The ledger's
// locations stay the single-machine ones: the rank counts the lines and records before its
// first line as it skips them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tunepack/core/result.h"
#include "tunepack/ingest/record_reader.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {

// ByteRange: the part of an input file a rank reads; raw offsets, aligned to lines while
// reading. The default is the whole file.
struct ByteRange {
  uint64_t begin = 0;
  std::optional<uint64_t> end;  ///< none: to the end of the file
  bool whole() const { return begin == 0 && !end; }
};

// True when `file` may be cut into byte ranges: an uncompressed JSON Lines file (by the
// type detection every reader uses) of plain bytes (not UTF-16/32), whose lines end at byte
// '\n'. Compressed files, CSV (quoted fields hold newlines), JSON arrays, Parquet and
// documents stay whole. Reads the file's first 64 KiB.
bool CanCutRecordFile(const SourceFile& file);

// What precedes a rank's first line: the lines and the records (non-blank lines) of the file
// before it, as the JSON Lines reader counts them.
struct LinePrefix {
  uint64_t lines = 0;
  uint64_t records = 0;
};

// LineRangeSource: yields the lines of `file` (a source at the file's first byte) that belong
// to `range`. SkipPrefix must be called first: it reads the bytes before the
// range's first line through `file` (so that hashes and resume offsets still cover the file
// from its start) and counts them.
class LineRangeSource : public ingest::ByteSource {
 public:
  LineRangeSource(std::unique_ptr<ingest::ByteSource> file, ByteRange range);

  Result<LinePrefix> SkipPrefix();
  Result<size_t> Read(char* buffer, size_t size) override;

 private:
  // Refills buffer_ when it is used up; false at the end of the file.
  Result<bool> Fill();
  void Consume(size_t n);

  std::unique_ptr<ingest::ByteSource> file_;
  ByteRange range_;
  std::string buffer_;
  size_t buffer_begin_ = 0, buffer_end_ = 0;
  uint64_t offset_ = 0;       ///< the file offset of buffer_[buffer_begin_]
  bool at_line_start_ = true; ///< the last byte consumed was '\n' (or none was)
  bool finished_ = false;     ///< the range's last line was yielded
};

}  // namespace tunepack::pipeline
