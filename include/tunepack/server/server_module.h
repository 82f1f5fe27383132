// ServerModule: the HTTP server as `tunepack serve` finds it in the loadable module
// tunepack-server.so, built beside the tunepack binary (src/server/CMakeLists.txt).
//
// Only `serve` needs the server, yet linking it into the binary made every run load
// cpp-httplib, OpenSSL and brotli and run their start-up code (BENCHMARKS.md, "Start-up").
// The binary therefore does not link the server: `serve` opens the module with dlopen and
// calls its one C entry point, kServerModuleEntryPoint, which returns this table.
//
// The binary and the module come from the same build; `config_size` and `version` catch a
// module left from another one before any other field is read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tunepack/core/result.h"
#include "tunepack/server/server.h"

namespace tunepack::server {

struct ServerModule {
  uint64_t config_size;  ///< sizeof(ServerConfig) in the module's build
  const char* version;   ///< tunepack::kVersion of the module's build
  Result<std::unique_ptr<Server>> (*create)(ServerConfig config);  ///< Server::Create
  Result<std::string> (*random_token)();                           ///< RandomToken
};

// The module's one exported symbol: extern "C" const ServerModule* tunepack_server_module().
inline constexpr char kServerModuleEntryPoint[] = "tunepack_server_module";
using ServerModuleEntryPoint = const ServerModule* (*)();

// The module's file name, in the folder of the tunepack binary.
inline constexpr char kServerModuleFileName[] = "tunepack-server.so";

}  // namespace tunepack::server
