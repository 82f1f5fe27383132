#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "tunepack/server/server.h"

namespace tunepack::server {

namespace fs = std::filesystem;

std::string DefaultDataDir() {
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state != nullptr && state[0] == '/') return std::string(state) + "/tunepack";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/state/tunepack";
}

Result<std::unique_ptr<DataDir>> DataDir::Open(const std::string& path) {
  std::error_code error;
  for (const char* sub : {"jobs", "uploads", "tmp"}) {
    fs::create_directories(fs::path(path) / sub, error);
    if (error) return InvalidArgumentError("--data-dir " + path + ": cannot create: " + error.message());
  }
  const fs::path canonical = fs::canonical(path, error);
  if (error) return InvalidArgumentError("--data-dir " + path + ": " + error.message());
  const std::string lock_path = (canonical / "server.lock").string();
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return InvalidArgumentError("--data-dir " + path + ": cannot create server.lock");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return FailedPreconditionError("--data-dir " + canonical.string() +
                                   " is in use by another tunepack serve");
  }
  // Leftovers of previews and uploads a killed server was in the middle of.
  for (const auto& entry : fs::directory_iterator(canonical / "tmp", error)) {
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
  return std::unique_ptr<DataDir>(new DataDir(canonical.string(), fd));
}

DataDir::~DataDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace tunepack::server
