#include "tunepack/io/file.h"
#include "tunepack/io/file_steps.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tunepack::io {
namespace {

constexpr size_t kWriteBufferBytes = 1 << 20;
constexpr size_t kDirectWriteBytes = 64 << 10;

Status ErrnoError(const std::string& what, const std::string& path) {
  const int err = errno;
  std::string message = path + ": " + what + ": " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(std::move(message));
  return Status(StatusCode::kUnknown, std::move(message));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

std::string_view FileKindName(unsigned mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "a special file";
}

Result<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<InputFile>(new InputFile(0, "-", false));
  // Judge the type before opening: opening a FIFO blocks until a writer comes, and opening
  // some devices has effects of its own. O_NONBLOCK and the fstat below close the race with
  // a file swapped in between.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("cannot open", path);
  auto refuse = [&](unsigned mode) -> Status {
    if (S_ISDIR(mode)) return InvalidArgumentError(path + ": is a directory");
    return InvalidArgumentError(path + ": is " + std::string(FileKindName(mode)) +
                                ", not a regular file; tunepack reads regular files (use - for "
                                "standard input)");
  };
  if (!S_ISREG(st.st_mode)) return refuse(st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return ErrnoError("cannot open", path);
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    Status refused = refuse(st.st_mode);
    ::close(fd);
    return refused;
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return std::unique_ptr<InputFile>(new InputFile(fd, path, true));
}

InputFile::~InputFile() {
  if (owned_) ::close(fd_);
}

Result<size_t> InputFile::Read(char* buffer, size_t size) {
  while (true) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return ErrnoError("cannot read", path_);
  }
}

Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  TP_ASSIGN_OR_RETURN(auto file, InputFile::Open(path));
  std::string out;
  char buffer[1 << 16];
  while (true) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(buffer, sizeof buffer));
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      return ResourceExhaustedError(path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buffer, n);
  }
  return out;
}

Result<std::string> ReadFileHead(const std::string& path, size_t max_bytes) {
  TP_ASSIGN_OR_RETURN(auto file, InputFile::Open(path));
  std::string out(max_bytes, '\0');
  size_t filled = 0;
  while (filled < max_bytes) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(out.data() + filled, max_bytes - filled));
    if (n == 0) break;
    filled += n;
  }
  out.resize(filled);
  return out;
}

namespace {

// Returns the folder part of `path` ("." for a bare name).
std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open folder", dir);
  // EINVAL: the file system cannot sync folders (some network and FUSE ones); nothing to do.
  const bool failed = ::fsync(fd) != 0 && errno != EINVAL;
  Status status = failed ? ErrnoError("cannot sync folder", dir) : Status::Ok();
  ::close(fd);
  return status;
}

namespace {

// Returns the temporary name beside `path`: hidden, so a folder walk (or a user) does not take
// a half-written file for an output, and in the same folder, so the rename stays within one
// file system.
std::string TemporaryPathFor(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "." + path.substr(slash + 1) +
         ".tunepack-tmp";
}

struct FileToWrite {
  const std::string& path;
  std::string_view bytes;
};

// Writes `files` to their temporary names (`temps`) and syncs them. Every file's writeback is
// started before the first sync, so that sync's journal commit covers the blocks of all of
// them and the later syncs find them committed already. On an error no temporary file stays.
Status WriteSyncedTemporaries(const std::vector<FileToWrite>& files, std::vector<std::string>& temps) {
  std::vector<int> fds;
  Status status;
  for (const FileToWrite& file : files) {
    temps.push_back(TemporaryPathFor(file.path));
    const int fd = ::open(temps.back().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      status = ErrnoError("cannot create", temps.back());
      temps.pop_back();
      break;
    }
    fds.push_back(fd);
    status = WriteAll(fd, file.bytes, temps.back());
    if (!status.ok()) break;
#if defined(__linux__)
    (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // advisory: the fsync below checks
#endif
  }
  for (size_t i = 0; i < fds.size(); ++i) {
    if (status.ok() && ::fsync(fds[i]) != 0) status = ErrnoError("cannot sync", temps[i]);
    ::close(fds[i]);
  }
  if (!status.ok()) {
    for (const std::string& temp : temps) ::unlink(temp.c_str());
    temps.clear();
  }
  return status;
}

void AddDirectoryOf(const std::string& path, std::vector<std::string>& dirs) {
  std::string dir = DirectoryOf(path);
  if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(std::move(dir));
}

// Renames the synced temporary files `temps` of `steps` into place step by step, each step's
// folders synced before the next; on an error the temporary files not yet renamed go.
Status RenameSteps(const std::vector<FileStep>& steps, const std::vector<std::string>& temps) {
  size_t next = 0;  // the first temporary file not yet renamed
  auto fail = [&](Status status) {
    for (size_t i = next; i < temps.size(); ++i) ::unlink(temps[i].c_str());
    return status;
  };
  for (const FileStep& step : steps) {
    std::vector<std::string> dirs;
    for (const FileContents& file : step.files) {
      if (::rename(temps[next].c_str(), file.path.c_str()) != 0) return fail(ErrnoError("cannot rename to", file.path));
      ++next;
      AddDirectoryOf(file.path, dirs);
    }
    for (const std::string& path : step.removed) {
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fail(ErrnoError("cannot remove", path));
      AddDirectoryOf(path, dirs);
    }
    for (const std::string& dir : dirs) {
      Status synced = SyncDirectory(dir);
      if (!synced.ok()) return fail(std::move(synced));
    }
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view bytes) {
  std::vector<std::string> temps;
  TP_RETURN_IF_ERROR(WriteSyncedTemporaries({FileToWrite{path, bytes}}, temps));
  if (::rename(temps[0].c_str(), path.c_str()) != 0) {
    Status renamed = ErrnoError("cannot rename to", path);
    ::unlink(temps[0].c_str());
    return renamed;
  }
  return SyncDirectory(DirectoryOf(path));
}

Status WriteFilesAtomic(const std::vector<FileContents>& files) { return WriteFileSteps({FileStep{files, {}}}); }

Status WriteFileSteps(const std::vector<FileStep>& steps) {
  std::vector<FileToWrite> files;
  for (const FileStep& step : steps) {
    for (const FileContents& file : step.files) files.push_back({file.path, file.bytes});
  }
  std::vector<std::string> temps;
  TP_RETURN_IF_ERROR(WriteSyncedTemporaries(files, temps));
  return RenameSteps(steps, temps);
}

Result<std::unique_ptr<AppendFile>> AppendFile::Open(const std::string& path,
                                                     int64_t resume_size) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (resume_size < 0 ? O_TRUNC : 0);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return ErrnoError("cannot create", path);
  uint64_t size = 0;
  if (resume_size >= 0) {
    struct stat st;
    if (::fstat(fd, &st) != 0 || st.st_size < resume_size) {
      ::close(fd);
      return DataLossError(path + ": shorter than its checkpoint says (" +
                           std::to_string(resume_size) + " bytes); cannot resume");
    }
    if (::ftruncate(fd, resume_size) != 0 || ::lseek(fd, resume_size, SEEK_SET) < 0) {
      Status error = ErrnoError("cannot truncate", path);
      ::close(fd);
      return error;
    }
    size = static_cast<uint64_t>(resume_size);
  }
  return std::unique_ptr<AppendFile>(new AppendFile(fd, path, size));
}

AppendFile::~AppendFile() { (void)Close(); }

Status AppendFile::Sync() {
  TP_RETURN_IF_ERROR(Flush());
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) return ErrnoError("cannot sync", path_);
  return Status::Ok();
}

namespace {

// Asks the kernel to start writing the `written` bytes just appended to `fd` to the disk,
// without waiting: the sync a checkpoint or the close does later then finds most of the
// data there already, instead of waiting for all of it at once. Advisory: a failure here
// changes nothing, the sync still checks.
void StartWriteback(int fd, size_t written) {
#if defined(__linux__)
  const off_t end = ::lseek(fd, 0, SEEK_CUR);
  if (end >= static_cast<off_t>(written)) {
    (void)::sync_file_range(fd, end - static_cast<off_t>(written), static_cast<off_t>(written), SYNC_FILE_RANGE_WRITE);
  }
#else
  (void)fd;
  (void)written;
#endif
}

}  // namespace

Status AppendFile::Write(std::string_view bytes) {
  if (fd_ < 0) return FailedPreconditionError(path_ + ": written after close");
  size_ += bytes.size();
  // A large piece (records written back to back) goes to the file as it is: copying it into
  // the buffer first would only move it once more.
  if (bytes.size() >= kDirectWriteBytes || buffer_.size() + bytes.size() > kWriteBufferBytes) {
    TP_RETURN_IF_ERROR(Flush());
    if (bytes.size() >= kDirectWriteBytes) {
      TP_RETURN_IF_ERROR(WriteAll(fd_, bytes, path_));
      StartWriteback(fd_, bytes.size());
      return Status::Ok();
    }
  }
  buffer_.append(bytes);
  return Status::Ok();
}

Status AppendFile::Flush() {
  if (fd_ < 0 || buffer_.empty()) return Status::Ok();
  Status status = WriteAll(fd_, buffer_, path_);
  if (status.ok()) StartWriteback(fd_, buffer_.size());
  buffer_.clear();
  return status;
}

Status AppendFile::Close() {
  if (fd_ < 0) return Status::Ok();
  Status status = Flush();
  ::close(fd_);
  fd_ = -1;
  return status;
}

}  // namespace tunepack::io
