#include "server/http_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace tunepack::server {
namespace {

// Closes a connection whose response has been sent. A request refused before its body was
// read (an upload over the limit) leaves that body still arriving, and closing a socket with
// unread bytes makes the kernel reset the connection: a client still sending then loses the
// response it was sent. So stop writing first, then read and discard until the client closes
// its side, for at most a second ("lingering close").
void CloseAfterResponse(int socket) {
  shutdown(socket, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  char discarded[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd readable = {socket, POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    if (recv(socket, discarded, sizeof discarded, 0) <= 0) break;
  }
  close(socket);
}

}  // namespace

HttpServer::HttpServer(const ConnectionLimits& limits)
    : limits_(limits),
      keep_alive_timeout_(std::min<std::chrono::milliseconds>(std::chrono::seconds(5), limits.read_timeout)) {
  // Address reuse only, not port reuse: a second server on the same port must fail to bind
  // rather than share the connections with the first.
  set_socket_options([this](int socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_socket_ = socket;
  });
}

bool HttpServer::WidenBacklog() { return listening_socket_ >= 0 && ::listen(listening_socket_, kBacklog) == 0; }

bool HttpServer::process_and_close_socket(int socket) {
  ConnectionStream stream(socket, limits_);
  bool served = true;
  for (size_t count = kRequestsPerConnection; count > 0; --count) {
    // Waits for the next request in short slices, so a stopping server lets go promptly.
    constexpr std::chrono::milliseconds kSlice(100);
    bool arrived = false;
    for (auto waited = std::chrono::milliseconds(0); is_running() && waited < keep_alive_timeout_; waited += kSlice) {
      if ((arrived = stream.WaitForRequest(std::min(kSlice, keep_alive_timeout_ - waited)))) break;
    }
    if (!arrived || !is_running()) break;
    stream.BeginRequest();
    bool connection_closed = false;
    served = process_request(stream, /*close_connection=*/count == 1, connection_closed,
                             [&stream](httplib::Request&) { stream.BeginBody(); });
    if (!served || connection_closed) break;
  }
  CloseAfterResponse(socket);
  return served;
}

}  // namespace tunepack::server
