#include "server/connection_stream.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tunepack::server {

namespace {

using Milliseconds = std::chrono::milliseconds;

// Polls `socket` for `events` for up to `wait` (0 when it is past); >0 ready, 0 timed out.
int PollFor(int socket, short events, Milliseconds wait) {
  pollfd entry{socket, events, 0};
  int ready;
  do {
    ready = poll(&entry, 1, static_cast<int>(std::max<int64_t>(0, wait.count())));
  } while (ready < 0 && errno == EINTR);
  return ready;
}

void NameOf(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, service,
                  sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return;
  }
  ip = host;
  port = std::atoi(service);
}

}  // namespace

void ConnectionStream::BeginRequest() {
  phase_ = Phase::kHeaders;
  phase_start_ = Clock::now();
}

void ConnectionStream::BeginBody() {
  phase_ = Phase::kBody;
  phase_start_ = Clock::now();
  body_bytes_ = 0;
}

ConnectionStream::Clock::time_point ConnectionStream::Deadline() const {
  if (phase_ == Phase::kHeaders) return phase_start_ + limits_.header_timeout;
  // The body may lag behind the minimum rate by the header timeout's worth of time.
  const auto earned = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(body_bytes_) /
                                    static_cast<double>(std::max<uint64_t>(1, limits_.min_body_bytes_per_second))));
  return phase_start_ + limits_.header_timeout + earned;
}

bool ConnectionStream::WaitReadable() const {
  const Clock::time_point now = Clock::now();
  const Clock::time_point deadline = Deadline();
  // A deadline is checked before polling: bytes queued in time do not excuse a late request.
  if (now >= deadline) return false;
  // Rounded up: a wait that ends a hair early would poll again for nothing.
  return PollFor(socket_, POLLIN, std::chrono::ceil<Milliseconds>(std::min(deadline, now + limits_.read_timeout) - now)) > 0;
}

bool ConnectionStream::WaitForRequest(Milliseconds wait) {
  return buffer_begin_ < buffer_end_ || PollFor(socket_, POLLIN, wait) > 0;
}

bool ConnectionStream::is_readable() const { return buffer_begin_ < buffer_end_ || WaitReadable(); }

bool ConnectionStream::is_writable() const {
  return PollFor(socket_, POLLOUT, limits_.write_timeout) > 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (buffer_begin_ == buffer_end_) {
    if (!WaitReadable()) return -1;
    ssize_t got;
    do {
      got = recv(socket_, buffer_, sizeof buffer_, 0);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return got;
    buffer_begin_ = 0;
    buffer_end_ = static_cast<size_t>(got);
  }
  const size_t n = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(ptr, buffer_ + buffer_begin_, n);
  buffer_begin_ += n;
  if (phase_ == Phase::kBody) body_bytes_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t sent;
  do {
    sent = send(socket_, ptr, size, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) NameOf(address, length, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) NameOf(address, length, ip, port);
}

}  // namespace tunepack::server
