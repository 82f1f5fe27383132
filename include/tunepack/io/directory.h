// Folders: listing entries with their types without following links, and the facts about a
// path (type, size, modification time, identity) that a folder walk and --resume need.
// Names are bytes, as the file system holds them: a name need not be UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::io {

enum class EntryType { kRegular, kDirectory, kSymlink, kFifo, kCharDevice, kBlockDevice, kSocket, kUnknown };

// Returns "regular file", "directory", "symbolic link", "FIFO", "character device"...
std::string_view EntryTypeName(EntryType type);

// FileFacts: what stat says about a path.
struct FileFacts {
  EntryType type = EntryType::kUnknown;
  uint64_t size = 0;
  int64_t mtime_ns = 0;  ///< modification time, nanoseconds since the epoch
  uint64_t device = 0;
  uint64_t inode = 0;
};

// Returns the facts of `path`, following a final symbolic link when `follow_links`.
// NotFound when it does not exist (or, following, when the link dangles).
Result<FileFacts> StatPath(const std::string& path, bool follow_links);

// DirEntry: one name in a folder and what it is (a link is kSymlink, not its target).
struct DirEntry {
  std::string name;  ///< bytes, no '/'
  FileFacts facts;
};

// Lists `dir` ("." and ".." left out) in byte order of the names, so a walk never depends on
// the file system's order. Fails (with the errno text) when the folder cannot be read.
Result<std::vector<DirEntry>> ListDirectory(const std::string& dir);

// Returns the canonical absolute path of `path` (links resolved), or the error.
Result<std::string> RealPath(const std::string& path);

// Returns true when `path` is `dir` or lies inside it; both canonical (see RealPath).
bool IsWithin(std::string_view path, std::string_view dir);

}  // namespace tunepack::io
