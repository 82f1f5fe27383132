#include "tunepack/io/line_reader.h"

namespace tunepack::io {

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path, size_t max_line_bytes) {
  TP_ASSIGN_OR_RETURN(auto file, InputFile::Open(path));
  return std::unique_ptr<LineReader>(new LineReader(std::move(file), path, max_line_bytes));
}

Status LineReader::LineTooLong() const {
  return ResourceExhaustedError(path_ + ":" + std::to_string(line_number_ + 1) + ": line longer than " +
                                std::to_string(max_line_bytes_) + " bytes");
}

Result<bool> LineReader::Next(std::string_view& line) {
  while (true) {
    const size_t newline = buffer_.find('\n', scan_);
    if (newline != std::string::npos) {
      if (newline - begin_ > max_line_bytes_) return LineTooLong();
      line = std::string_view(buffer_).substr(begin_, newline - begin_);
      begin_ = scan_ = newline + 1;
      ++line_number_;
      return true;
    }
    if (buffer_.size() - begin_ > max_line_bytes_) return LineTooLong();
    if (at_end_) {
      if (begin_ == buffer_.size()) return false;
      line = std::string_view(buffer_).substr(begin_);
      begin_ = scan_ = buffer_.size();
      ++line_number_;
      return true;
    }
    // Drop the lines already returned before reading more, so the buffer holds one line
    // and one block at most.
    buffer_.erase(0, begin_);
    begin_ = 0;
    scan_ = buffer_.size();
    const size_t kept = buffer_.size();
    buffer_.resize(kept + block_bytes_);
    Result<size_t> read = file_->Read(buffer_.data() + kept, block_bytes_);
    if (!read.has_value()) {
      buffer_.resize(kept);
      return read.error();
    }
    buffer_.resize(kept + *read);
    at_end_ = *read == 0;
  }
}

}  // namespace tunepack::io
