// FolderLock: an exclusive lock on an output folder for the length of a run, so two runs
// never write one folder at once. It is an flock(2) on `.tunepack.lock` in the folder; the
// file holds the owner's process id for the message a second run gives. The kernel drops
// the lock when the process ends, however it ends, so a killed run never leaves the folder
// locked; the file itself is removed when the lock is released.
#pragma once

#include <memory>
#include <string>

#include "tunepack/core/result.h"

namespace tunepack::io {

inline constexpr const char* kLockFileName = ".tunepack.lock";

class FolderLock {
 public:
  // Takes the lock on `dir` (which must exist), waiting at most 2 seconds (for a killed
  // holder to be torn down). FailedPrecondition "DIR is in use by process N" when another
  // process holds it.
  static Result<std::unique_ptr<FolderLock>> Acquire(const std::string& dir);
  // Removes the lock file, then releases the lock.
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  FolderLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

}  // namespace tunepack::io
