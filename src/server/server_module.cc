// The entry point of tunepack-server.so (tunepack/server/server_module.h). Its version
// script (server_module.map) exports this function and nothing else, so the module's own
// copies of the library resolve to themselves and never to the binary's.
#include "tunepack/server/server_module.h"

#include "tunepack/version.h"

namespace {

const tunepack::server::ServerModule kModule = {
    sizeof(tunepack::server::ServerConfig),
    tunepack::kVersion,
    &tunepack::server::Server::Create,
    &tunepack::server::RandomToken,
};

}  // namespace

extern "C" const tunepack::server::ServerModule* tunepack_server_module() { return &kModule; }
