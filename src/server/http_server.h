// HttpServer: httplib's server with each connection served through a ConnectionStream, so
// that slow clients meet the connection deadlines (connection_stream.h), and a listening
// socket that neither shares its port nor turns away a burst of connections.
#pragma once

#include <chrono>
#include <cstddef>

#include <httplib.h>

#include "server/connection_stream.h"

namespace tunepack::server {

class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(const ConnectionLimits& limits);

  // Lets the bound socket queue kBacklog connections the accept loop has not taken yet.
  // httplib listens with room for 5: a burst of a few hundred clients on a busy machine had
  // some of them reset by the kernel.
  bool WidenBacklog();

 private:
  static constexpr int kBacklog = 1024;

  // httplib calls this on a pool thread for each accepted connection.
  bool process_and_close_socket(int socket) override;

  ConnectionLimits limits_;
  int listening_socket_ = -1;
  // An idle kept-alive connection holds a thread too: no longer than a silent request.
  std::chrono::milliseconds keep_alive_timeout_;
  static constexpr size_t kRequestsPerConnection = 100;
};

}  // namespace tunepack::server
