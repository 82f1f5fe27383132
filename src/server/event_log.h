// EventLog: one job's events, appended to events.jsonl as they happen and read back by id
// for Server-Sent Events and `?after=N`. Ids start at 1 and increase by one; the file is the
// store (one write per event, which survives the process being killed), memory keeps only
// where each line is.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::server {

struct StoredEvent {
  uint64_t id = 0;
  std::string kind;  ///< the event's kind name: "progress", "run_finished", ...
  std::string json;  ///< {"id":N,"time":T,"event":"<kind>",...}, one line without its newline
};

class EventLog {
 public:
  // Opens `path`, creating it, and indexes the events it holds; a line cut short by a killed
  // process is dropped.
  static Result<std::unique_ptr<EventLog>> Open(std::string path);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends an event: `object_json` is a JSON object ({"event":"<kind>",...}) to which the
  // log adds the next id and the time (Unix milliseconds) as the first members. Returns the id.
  Result<uint64_t> Append(std::string_view kind, std::string_view object_json);

  // Returns up to `max` events with ids above `after`, in order.
  std::vector<StoredEvent> After(uint64_t after, size_t max) const;

  // Returns the id of the last event (0 when there is none).
  uint64_t last_id() const;

  // Returns the kind of the last event ("" when there is none).
  std::string last_kind() const;

  // Waits until there is an event above `after`, Notify() is called, or `timeout` passes.
  void Wait(uint64_t after, std::chrono::milliseconds timeout) const;

  // Wakes every Wait (the job's state changed).
  void Notify() const;

 private:
  struct Entry {
    uint64_t offset;
    uint32_t size;
    std::string kind;
  };
  EventLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;
  uint64_t end_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable uint64_t notifications_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace tunepack::server
