// ConnectionStream: one client connection as httplib reads and writes it, with deadlines a
// slow client cannot stretch. httplib's own stream only bounds each silent wait
// (--read-timeout), so a client that sends one byte of its request every few seconds holds a
// server thread forever, and a few hundred such clients hold them all. Here the whole request
// line and headers must arrive within the header timeout, and a body must keep up a minimum
// average rate once that much time has passed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <httplib.h>

namespace tunepack::server {

// ConnectionLimits: how long a client may take; the server's settings.
struct ConnectionLimits {
  std::chrono::seconds read_timeout{5};     ///< longest silence in the middle of a request
  std::chrono::seconds write_timeout{10};   ///< longest wait for the client to take bytes
  std::chrono::seconds header_timeout{10};  ///< request line and headers, whole
  uint64_t min_body_bytes_per_second = 16 * 1024;  ///< average, counted after header_timeout
};

class ConnectionStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionStream(int socket, const ConnectionLimits& limits) : socket_(socket), limits_(limits) {}

  // A new request begins: its request line and headers are due within the header timeout.
  void BeginRequest();
  // The headers are read; what follows is the body (if any) and the answer.
  void BeginBody();
  // Whether bytes of a next request are already here or arrive within `wait`.
  bool WaitForRequest(std::chrono::milliseconds wait);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return socket_; }

 private:
  enum class Phase { kHeaders, kBody };

  // The moment the current phase's rule is broken if no more bytes come; for a body it moves
  // on with every byte read.
  Clock::time_point Deadline() const;
  // Waits until the socket is readable (true), the read timeout passes, or the phase's
  // deadline does (at once when it has).
  bool WaitReadable() const;

  int socket_;
  ConnectionLimits limits_;
  Phase phase_ = Phase::kHeaders;
  Clock::time_point phase_start_ = Clock::now();
  uint64_t body_bytes_ = 0;
  // httplib reads request lines a byte at a time: bytes come from the socket in blocks.
  char buffer_[16 * 1024];
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
};

}  // namespace tunepack::server
