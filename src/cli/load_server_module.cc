#include "cli/load_server_module.h"

#include <dlfcn.h>

#include <cstring>
#include <string>

#include "tunepack/io/running_binary.h"
#include "tunepack/version.h"

namespace tunepack::cli {
namespace {

// `why` names the module's path (dlerror's messages do).
Status ModuleError(const std::string& why) {
  return FailedPreconditionError(std::string("serve needs the HTTP server module ") + server::kServerModuleFileName +
                                 " beside the tunepack binary: " + why +
                                 "; it is built with the binary (ninja -C build tunepack)");
}

}  // namespace

Result<const server::ServerModule*> LoadServerModule() {
  // The module sits beside the binary.
  TP_ASSIGN_OR_RETURN(const std::string path, io::BesideRunningBinary(server::kServerModuleFileName));
  // RTLD_NOW: a symbol the module cannot bind fails here, with dlerror's message, not in the
  // middle of a request. RTLD_LOCAL: nothing of the module serves later lookups.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return ModuleError(::dlerror());
  void* symbol = ::dlsym(handle, server::kServerModuleEntryPoint);
  if (symbol == nullptr) return ModuleError(::dlerror());
  const server::ServerModule* module = reinterpret_cast<server::ServerModuleEntryPoint>(symbol)();
  if (module->config_size != sizeof(server::ServerConfig) || std::strcmp(module->version, kVersion) != 0) {
    return ModuleError(path + " is from another build (tunepack " + module->version + ")");
  }
  return module;
}

}  // namespace tunepack::cli
