// HttpServer: httplib's server with each connection served through a ConnectionStream, so
// that slow clients meet the connection deadlines (connection_stream.h).
#pragma once

#include <chrono>
#include <cstddef>

#include <httplib.h>

#include "server/connection_stream.h"

namespace tunepack::server {

class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(const ConnectionLimits& limits);

 private:
  // httplib calls this on a pool thread for each accepted connection.
  bool process_and_close_socket(int socket) override;

  ConnectionLimits limits_;
  // An idle kept-alive connection holds a thread too: no longer than a silent request.
  std::chrono::milliseconds keep_alive_timeout_;
  static constexpr size_t kRequestsPerConnection = 100;
};

}  // namespace tunepack::server
