// RandomAccessFile implementations: bytes in memory, and a file read with pread (a named
// one, or a temporary one a stream was spooled into).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

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
  void set_size(uint64_t size) { size_ = size; }
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

// Writes all of `bytes` to `fd`.
Status WriteAll(int fd, const char* bytes, size_t size, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(StatusCode::kUnknown, what + ": cannot write: " + std::strerror(errno));
    bytes += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

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

Result<std::unique_ptr<RandomAccessFile>> SpoolToTemporaryFile(
    const std::function<Result<size_t>(char* buffer, size_t size)>& read) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/tunepack-parquet-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kUnknown, path + ": cannot create a temporary file: " + std::strerror(errno));
  ::unlink(path.c_str());  // ours alone, and gone once closed whatever happens next
  const std::string what = "temporary file for a Parquet stream (" + path + ")";
  // Owns `fd` from here: the reader takes it over once the size is known.
  auto file = std::make_unique<PosixRandomAccessFile>(fd, 0, what);
  std::string chunk(1u << 20, '\0');
  uint64_t size = 0;
  while (true) {
    Result<size_t> n = read(chunk.data(), chunk.size());
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    TP_RETURN_IF_ERROR(WriteAll(fd, chunk.data(), *n, what));
    size += *n;
  }
  file->set_size(size);
  return std::unique_ptr<RandomAccessFile>(std::move(file));
}

}  // namespace tunepack::parquet
