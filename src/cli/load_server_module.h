// LoadServerModule: opens tunepack-server.so, the HTTP server `tunepack serve` runs
// (tunepack/server/server_module.h), from the folder of the running binary.
#pragma once

#include "tunepack/core/result.h"
#include "tunepack/server/server_module.h"

namespace tunepack::cli {

// Returns the module's entry points; the module stays loaded for the rest of the process.
// FailedPrecondition, naming the path and how to get the module, when it is missing, cannot
// be loaded or comes from another build.
Result<const server::ServerModule*> LoadServerModule();

}  // namespace tunepack::cli
