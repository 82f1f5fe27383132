// BufferPool: the byte buffers of finished tasks (input batches, encoded records), kept for
// the next tasks. A buffer of a megabyte or more that is freed and allocated again is
// returned to the system and faulted in anew, page by page, for every task; kept, it is
// touched once. Thread-safe: the reader, the workers and the writer all take and give.
// OutcomePool: the same for the outcome lists of finished tasks, so that the writer hands a
// list back instead of destroying it: each outcome holds memory its worker allocated (the
// source's path, the record's statistics), which glibc frees slowly from another thread, and
// the serial writer had spent about 8% of its samples on it (perf, under load).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/work.h"

namespace tunepack::pipeline {

// RecyclingPool: containers (anything with clear() and capacity()) given back and taken again.
template <typename Container>
class RecyclingPool {
 public:
  // Keeps at most `capacity` containers, of a capacity of at most `max_size` each; others
  // given back are freed (a batch that held one huge record does not keep its room), so
  // memory stays bounded.
  RecyclingPool(size_t capacity, size_t max_size) : capacity_(capacity), max_size_(max_size) {}

  // Returns an empty container, with the room of one given back when there is one. The
  // elements of the one given back are destroyed here, on the taking thread.
  Container Take() {
    Container container = TakeWithStaleBytes();
    container.clear();
    return container;
  }

  // Returns a container that still holds the content of its last use (or an empty one): a
  // user that overwrites the bytes of a string is spared the zero-fill of growing an empty
  // std::string again.
  Container TakeWithStaleBytes() {
    std::lock_guard lock(mutex_);
    if (containers_.empty()) return Container();
    Container container = std::move(containers_.back());
    containers_.pop_back();
    return container;
  }

  // Frees every container kept (the caller's thread unmaps their memory).
  void Clear() {
    std::vector<Container> kept;
    {
      std::lock_guard lock(mutex_);
      kept.swap(containers_);
    }
  }

  // Gives `container` back for a later Take.
  void Give(Container&& container) {
    if (container.capacity() == 0 || container.capacity() > max_size_) return;
    std::lock_guard lock(mutex_);
    if (containers_.size() < capacity_) containers_.push_back(std::move(container));
  }

 private:
  std::mutex mutex_;
  std::vector<Container> containers_;
  size_t capacity_;
  size_t max_size_;
};

using BufferPool = RecyclingPool<std::string>;
using OutcomePool = RecyclingPool<std::vector<UnitOutcome>>;

}  // namespace tunepack::pipeline
