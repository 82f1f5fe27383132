#include "tunepack/io/directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tunepack::io {
namespace {

EntryType TypeOfMode(mode_t mode) {
  if (S_ISREG(mode)) return EntryType::kRegular;
  if (S_ISDIR(mode)) return EntryType::kDirectory;
  if (S_ISLNK(mode)) return EntryType::kSymlink;
  if (S_ISFIFO(mode)) return EntryType::kFifo;
  if (S_ISCHR(mode)) return EntryType::kCharDevice;
  if (S_ISBLK(mode)) return EntryType::kBlockDevice;
  if (S_ISSOCK(mode)) return EntryType::kSocket;
  return EntryType::kUnknown;
}

FileFacts FactsOf(const struct stat& st) {
  FileFacts facts;
  facts.type = TypeOfMode(st.st_mode);
  facts.size = static_cast<uint64_t>(st.st_size);
  facts.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  facts.device = static_cast<uint64_t>(st.st_dev);
  facts.inode = static_cast<uint64_t>(st.st_ino);
  return facts;
}

Status ErrnoStatus(int err, const std::string& message) {
  std::string text = message + ": " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(std::move(text));
  return Status(StatusCode::kUnknown, std::move(text));
}

}  // namespace

std::string_view EntryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kRegular: return "regular file";
    case EntryType::kDirectory: return "directory";
    case EntryType::kSymlink: return "symbolic link";
    case EntryType::kFifo: return "FIFO";
    case EntryType::kCharDevice: return "character device";
    case EntryType::kBlockDevice: return "block device";
    case EntryType::kSocket: return "socket";
    case EntryType::kUnknown: return "special file";
  }
  return "special file";
}

Result<FileFacts> StatPath(const std::string& path, bool follow_links) {
  struct stat st;
  const int rc = follow_links ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  if (rc != 0) return ErrnoStatus(errno, path);
  return FactsOf(st);
}

Result<std::vector<DirEntry>> ListDirectory(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return ErrnoStatus(errno, dir + ": cannot list the folder");
  std::vector<DirEntry> entries;
  const int fd = ::dirfd(handle);
  while (true) {
    errno = 0;
    const struct dirent* entry = ::readdir(handle);
    if (entry == nullptr) {
      const int err = errno;
      if (err == 0) break;
      ::closedir(handle);
      return ErrnoStatus(err, dir + ": cannot list the folder");
    }
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    DirEntry item;
    item.name = std::string(name);
    struct stat st;
    // An entry removed while we list is listed as unknown; its reader reports it.
    if (::fstatat(fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) item.facts = FactsOf(st);
    entries.push_back(std::move(item));
  }
  ::closedir(handle);
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

Result<std::string> RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return ErrnoStatus(errno, path);
  std::string out(resolved);
  ::free(resolved);
  return out;
}

bool IsWithin(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (path.size() == dir.size() || path[dir.size()] == '/');
}

}  // namespace tunepack::io
