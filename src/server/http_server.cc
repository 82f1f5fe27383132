#include "server/http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace tunepack::server {

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
  shutdown(socket, SHUT_RDWR);
  close(socket);
  return served;
}

}  // namespace tunepack::server
