// RandomAccessFile implementations: bytes in memory, and a file read with pread.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet {
namespace {

class MemoryRandomAccessFile : public RandomAccessFile {
 public:
  explicit MemoryRandomAccessFile(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  Status ReadAt(uint64_t offset, size_t size, std::string& out) override {
    if (offset > bytes_.size() || size > bytes_.size() - offset) return DataLossError("read past the end of the file");
    out.assign(bytes_, offset, size);
    return Status::Ok();
  }

 private:
  std::string bytes_;
};

class PosixRandomAccessFile : public RandomAccessFile {
 public:
  PosixRandomAccessFile(int fd, uint64_t size, std::string path) : fd_(fd), size_(size), path_(std::move(path)) {}
  ~PosixRandomAccessFile() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  Status ReadAt(uint64_t offset, size_t size, std::string& out) override {
    if (offset > size_ || size > size_ - offset) return DataLossError("read past the end of the file");
    out.resize(size);
    size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(fd_, out.data() + done, size - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return DataLossError(path_ + ": " + std::strerror(errno));
      if (n == 0) return DataLossError(path_ + ": file shrank while being read");
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

 private:
  int fd_;
  uint64_t size_;
  std::string path_;
};

}  // namespace

std::unique_ptr<RandomAccessFile> MemoryFile(std::string bytes) {
  return std::make_unique<MemoryRandomAccessFile>(std::move(bytes));
}

Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccessFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NotFoundError(path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgumentError(path + ": not a regular file");
  }
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<PosixRandomAccessFile>(fd, static_cast<uint64_t>(st.st_size), path));
}

}  // namespace tunepack::parquet
