// Files: whole-file reads, atomic and durable writes, and an append-only output file that can
// resume at a recorded size. Plain POSIX underneath: no stdio buffering we do not control, so
// a checkpoint taken after Sync() describes exactly the bytes the disk holds.
//
// Every file tunepack reads goes through InputFile, which opens regular files only: a FIFO
// (which would block until someone writes), a device (/dev/zero never ends), a socket or a
// link to one is refused by its type with a clear error. Standard input ("-") is the one
// stream that may be a pipe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::io {

// Size caps on files read whole, so a crafted model folder cannot exhaust memory
// (docs/limits.md lists them).
inline constexpr uint64_t kMaxConfigFileBytes = 64u << 20;      ///< JSON configs, contexts, messages
inline constexpr uint64_t kMaxTokenizerFileBytes = 1u << 30;    ///< tokenizer.json, .model, .tiktoken

// Reads the whole file at `path` ("-" reads standard input). Fails with ResourceExhausted
// when it is larger than `max_bytes`, and with InvalidArgument when it is not a regular file.
Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes = UINT64_MAX);

// Reads up to `max_bytes` from the start of `path`.
Result<std::string> ReadFileHead(const std::string& path, size_t max_bytes);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
// reader (or a crash, or a power loss) sees the old file or the new one, never half of one:
// the temporary file is synced before the rename and the folder after it.
Status WriteFileAtomic(const std::string& path, std::string_view bytes);

// A file for WriteFilesAtomic: where it goes and what it holds.
struct FileContents {
  std::string path;
  std::string bytes;
};

// Writes each of `files` as WriteFileAtomic does, but syncs each folder once, after the
// last rename into it, instead of after every file: files written together cost one folder
// sync. All are durable when it returns Ok; after an error, some may be written.
Status WriteFilesAtomic(const std::vector<FileContents>& files);

// Syncs the folder `dir`, so that files created, renamed or removed in it survive a power
// loss.
Status SyncDirectory(const std::string& dir);

// Returns what kind of file `mode` (st_mode) is, for messages: "a FIFO", "a device"...
std::string_view FileKindName(unsigned mode);
// InputFile: sequential reads from a file or standard input.
class InputFile {
 public:
  // Opens `path`, or standard input when `path` is "-". Refuses anything but a regular file
  // (InvalidArgument, "is a FIFO, not a regular file"), without blocking on a FIFO.
  static Result<std::unique_ptr<InputFile>> Open(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads up to `size` bytes; returns 0 at the end.
  Result<size_t> Read(char* buffer, size_t size);

 private:
  InputFile(int fd, std::string path, bool owned) : fd_(fd), path_(std::move(path)), owned_(owned) {}
  int fd_;
  std::string path_;
  bool owned_;
};

// AppendFile: a buffered, append-only output file.
class AppendFile {
 public:
  // Creates `path` empty, or, when `resume_size` is given, opens it and truncates it to that
  // many bytes (the size recorded in the last checkpoint), dropping anything written after.
  static Result<std::unique_ptr<AppendFile>> Open(const std::string& path,
                                                  int64_t resume_size = -1);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Appends `bytes` (buffered).
  Status Write(std::string_view bytes);
  // Hands the buffered bytes to the kernel. After it returns, they survive the process
  // being killed (not a power loss: that is Sync()).
  Status Flush();
  // Flushes and waits until the bytes are on the disk (fdatasync), so they survive a power
  // loss. Costly: call it before a checkpoint that covers the bytes, not per write.
  Status Sync();
  // Flushes and closes; further writes fail.
  Status Close();
  // Returns the bytes written so far, buffered ones included.
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  AppendFile(int fd, std::string path, uint64_t size) : fd_(fd), path_(std::move(path)), size_(size) {}
  int fd_;
  std::string path_;
  uint64_t size_;
  std::string buffer_;
};

}  // namespace tunepack::io
