// Server: `tunepack serve`, the HTTP API over the export pipeline (docs/serve.md). Jobs, their
// events and their outputs live under a data folder, so a restarted server shows every job
// it knew (a job that was running when the process died comes back `interrupted`).
//
// Example:
//   ServerConfig config;
//   config.roots = {"/data/corpus"};
//   config.token = server::RandomToken();
//   TP_ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Create(config));
//   TP_ASSIGN_OR_RETURN(int port, server->Bind());
//   server->Run();  // until Stop() is called from another thread
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::server {

// ServerConfig: what `tunepack serve` is started with.
struct ServerConfig {
  std::string host = "127.0.0.1";  ///< loopback unless asked otherwise
  int port = 8765;                 ///< 0 picks a free port
  std::vector<std::string> roots;  ///< folders whose files requests may name as inputs
  std::string data_dir;            ///< jobs, uploads; empty: DefaultDataDir()
  std::string token;               ///< the bearer token every /api request must carry
  int jobs = 1;                    ///< exports run at the same time (others wait queued)
  uint64_t max_upload_bytes = uint64_t{1} << 30;  ///< one upload
  uint64_t max_body_bytes = uint64_t{16} << 20;   ///< one JSON request body
  int read_timeout_seconds = 5;    ///< a connection that sends nothing for this long is dropped
  /// A request's line and headers must arrive whole within this, and its body at 16 KiB/s on
  /// average once this much time has passed: a client trickling bytes cannot hold a thread.
  int header_timeout_seconds = 10;
};

// Returns $XDG_STATE_HOME/tunepack, or ~/.local/state/tunepack.
std::string DefaultDataDir();

// Returns a new random token (32 hex digits from the system's random source).
Result<std::string> RandomToken();

class Server {
 public:
  // Opens the data folder (creating it), checks the roots and loads the jobs it holds.
  // InvalidArgument for a root that is not a folder, FailedPrecondition when another
  // server holds the data folder.
  static Result<std::unique_ptr<Server>> Create(ServerConfig config);
  virtual ~Server() = default;

  // Binds the listening socket; returns the port (the chosen one when config.port is 0).
  virtual Result<int> Bind() = 0;
  // Serves until Stop(); running exports are then stopped resumably (status `interrupted`).
  virtual Status Run() = 0;
  // Stops Run(); safe to call from any thread, more than once.
  virtual void Stop() = 0;
};

}  // namespace tunepack::server
