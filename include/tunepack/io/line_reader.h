// LineReader: the lines of a file, read through InputFile in blocks, so a file of any size
// is read in bounded memory and a read failure is an error (file and OS reason), not an
// early end.
//
// A line is what std::getline gives: the bytes up to '\n', without it. A '\r' before the
// '\n' is kept (readers that accept CRLF strip it themselves, as each has its own rule for
// blanks). A last line without '\n' is a line; a file ending in '\n' has no empty line
// after it; an empty file has no line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"
#include "tunepack/io/file.h"

namespace tunepack::io {

// The longest line read by default (docs/limits.md): a line past it is an error, so a file
// without newlines cannot exhaust memory.
inline constexpr size_t kMaxLineBytes = 256u << 20;

class LineReader {
 public:
  // Opens `path` as InputFile::Open does ("-" is standard input).
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path,
                                                  size_t max_line_bytes = kMaxLineBytes);

  // Sets `line` to the next line and returns true, or returns false at the end of the file.
  // `line` points into the reader's buffer: it is valid until the next call. Fails with the
  // read's error, or with ResourceExhausted ("path:N: line longer than ... bytes").
  Result<bool> Next(std::string_view& line);

  // The number of the line Next() returned last (1-based; 0 before the first).
  uint64_t line_number() const { return line_number_; }

  // Sets the size of the blocks read (for tests of lines across block boundaries).
  void set_block_bytes_for_testing(size_t bytes) { block_bytes_ = bytes; }

 private:
  LineReader(std::unique_ptr<InputFile> file, std::string path, size_t max_line_bytes)
      : file_(std::move(file)), path_(std::move(path)), max_line_bytes_(max_line_bytes) {}
  Status LineTooLong() const;

  std::unique_ptr<InputFile> file_;
  std::string path_;
  size_t max_line_bytes_;
  size_t block_bytes_ = 1 << 16;
  std::string buffer_;
  size_t begin_ = 0;  // start of the unread bytes in buffer_
  size_t scan_ = 0;   // where the search for '\n' resumes
  bool at_end_ = false;
  uint64_t line_number_ = 0;
};

}  // namespace tunepack::io
