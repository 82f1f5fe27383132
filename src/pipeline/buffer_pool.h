// BufferPool: the byte buffers of finished tasks (input batches, encoded records), kept for
// the next tasks. A buffer of a megabyte or more that is freed and allocated again is
// returned to the system and faulted in anew, page by page, for every task; kept, it is
// touched once. Thread-safe: the reader, the workers and the writer all take and give.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tunepack::pipeline {

class BufferPool {
 public:
  // Keeps at most `capacity` buffers, of at most `max_bytes` each; others given back are
  // freed (a batch that held one huge record does not keep its room), so memory stays
  // bounded.
  BufferPool(size_t capacity, size_t max_bytes) : capacity_(capacity), max_bytes_(max_bytes) {}

  // Returns an empty buffer, with the room of one given back when there is one.
  std::string Take() {
    std::string buffer = TakeWithStaleBytes();
    buffer.clear();
    return buffer;
  }

  // Returns a buffer that still holds the bytes of its last use (or an empty one): a user
  // that overwrites them is spared the zero-fill of growing an empty std::string again.
  std::string TakeWithStaleBytes() {
    std::lock_guard lock(mutex_);
    if (buffers_.empty()) return std::string();
    std::string buffer = std::move(buffers_.back());
    buffers_.pop_back();
    return buffer;
  }

  // Gives `buffer` back for a later Take.
  void Give(std::string&& buffer) {
    if (buffer.capacity() == 0 || buffer.capacity() > max_bytes_) return;
    std::lock_guard lock(mutex_);
    if (buffers_.size() < capacity_) buffers_.push_back(std::move(buffer));
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> buffers_;
  size_t capacity_;
  size_t max_bytes_;
};

}  // namespace tunepack::pipeline
