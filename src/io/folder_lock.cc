#include "tunepack/io/folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tunepack::io {
namespace {

constexpr int kGraceSteps = 100;
constexpr useconds_t kGraceStepMicros = 20000;  // 100 x 20 ms: 2 seconds

// Returns the process id written in the lock file, or "unknown".
std::string OwnerOf(int fd) {
  char buffer[32];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return "unknown";
  std::string pid(buffer, static_cast<size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos ? "unknown" : pid;
}

}  // namespace

Result<std::unique_ptr<FolderLock>> FolderLock::Acquire(const std::string& dir) {
  const std::string path = dir + "/" + kLockFileName;
  // The holder removes the file before it unlocks, so a lock taken on a file that is no
  // longer the one at `path` is worthless: take it again on the new file.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      return FailedPreconditionError(dir + ": cannot create the lock file " + kLockFileName + ": " +
                                     std::strerror(errno));
    }
    int locked = ::flock(fd, LOCK_EX | LOCK_NB);
    // A process killed a moment ago holds its lock until the kernel has torn it down (a few
    // milliseconds, longer with many threads): give a holder that is ending a short grace
    // before calling the folder busy. A live run holds it far longer than this.
    for (int wait = 0; locked != 0 && errno == EWOULDBLOCK && wait < kGraceSteps; ++wait) {
      ::usleep(kGraceStepMicros);
      locked = ::flock(fd, LOCK_EX | LOCK_NB);
    }
    if (locked != 0) {
      const int err = errno;
      const std::string owner = err == EWOULDBLOCK ? OwnerOf(fd) : std::string();
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return FailedPreconditionError(dir + " is in use by process " + owner +
                                       " (another tunepack run writes it); wait for it to end or "
                                       "choose another output folder");
      }
      return FailedPreconditionError(dir + ": cannot lock " + kLockFileName + ": " + std::strerror(err));
    }
    struct stat held, current;
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &current) == 0 && held.st_ino == current.st_ino &&
        held.st_dev == current.st_dev) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock holds without the process id; a second run then names no process.
      }
      return std::unique_ptr<FolderLock>(new FolderLock(fd, path));
    }
    ::close(fd);
  }
  return FailedPreconditionError(dir + ": the lock file keeps changing; another process is using the folder");
}

FolderLock::~FolderLock() {
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace tunepack::io
