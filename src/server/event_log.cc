#include "server/event_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

namespace tunepack::server {

Result<std::unique_ptr<EventLog>> EventLog::Open(std::string path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot open " + path + ": " + std::strerror(errno));
  std::unique_ptr<EventLog> log(new EventLog(path, fd));
  // Index the lines already there. Each holds {"id":N,"event":"kind",...}.
  std::string content;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    content.append(buffer, static_cast<size_t>(n));
  }
  size_t begin = 0;
  while (true) {
    const size_t newline = content.find('\n', begin);
    if (newline == std::string::npos) break;
    const std::string_view line(content.data() + begin, newline - begin);
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    const bool valid = object.is_object() && object.contains("id") && object.contains("event") &&
                       object["id"] == log->entries_.size() + 1 && object["event"].is_string();
    if (!valid) break;  // a damaged line ends what can be trusted
    log->entries_.push_back({begin, static_cast<uint32_t>(line.size()), object["event"].get<std::string>()});
    begin = newline + 1;
  }
  // Cut a torn or damaged tail, so the next event starts a clean line.
  if (begin != content.size() && ::ftruncate(fd, static_cast<off_t>(begin)) != 0) {
    return InternalError("cannot repair " + path + ": " + std::strerror(errno));
  }
  log->end_ = begin;
  return log;
}

EventLog::~EventLog() {
  if (fd_ >= 0) ::close(fd_);
}

Result<uint64_t> EventLog::Append(std::string_view kind, std::string_view object_json) {
  std::lock_guard lock(mutex_);
  const uint64_t id = entries_.size() + 1;
  // The time lets a client see how fresh an event is (and a benchmark measure its latency).
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  std::string line = "{\"id\":" + std::to_string(id) + ",\"time\":" + std::to_string(now);
  if (object_json.size() > 2) line += ",";
  line.append(object_json.substr(1));
  line.push_back('\n');
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::pwrite(fd_, line.data() + written, line.size() - written,
                               static_cast<off_t>(end_ + written));
    if (n < 0) {
      if (errno == EINTR) continue;
      return InternalError("cannot write " + path_ + ": " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  entries_.push_back({end_, static_cast<uint32_t>(line.size() - 1), std::string(kind)});
  end_ += line.size();
  changed_.notify_all();
  return id;
}

std::vector<StoredEvent> EventLog::After(uint64_t after, size_t max) const {
  std::vector<StoredEvent> events;
  std::lock_guard lock(mutex_);
  for (uint64_t id = after + 1; id <= entries_.size() && events.size() < max; ++id) {
    const Entry& entry = entries_[id - 1];
    StoredEvent event;
    event.id = id;
    event.kind = entry.kind;
    event.json.resize(entry.size);
    size_t done = 0;
    while (done < entry.size) {
      const ssize_t n = ::pread(fd_, event.json.data() + done, entry.size - done,
                                static_cast<off_t>(entry.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    if (done != entry.size) break;
    events.push_back(std::move(event));
  }
  return events;
}

uint64_t EventLog::last_id() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::string EventLog::last_kind() const {
  std::lock_guard lock(mutex_);
  return entries_.empty() ? std::string() : entries_.back().kind;
}

void EventLog::Wait(uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  const uint64_t seen = notifications_;
  changed_.wait_for(lock, timeout, [&] { return entries_.size() > after || notifications_ != seen; });
}

void EventLog::Notify() const {
  std::lock_guard lock(mutex_);
  ++notifications_;
  changed_.notify_all();
}

}  // namespace tunepack::server
