#include "cli/load_server_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tunepack/version.h"

namespace tunepack::cli {
namespace {

// The module sits beside the binary; the binary's own path, not argv[0], which may be a
// link or a name found on PATH.
Result<std::string> ModulePath() {
  std::string self(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (n <= 0) {
    return FailedPreconditionError(std::string("cannot find the running binary (/proc/self/exe): ") +
                                   std::strerror(errno));
  }
  self.resize(static_cast<size_t>(n));
  return self.substr(0, self.find_last_of('/') + 1) + server::kServerModuleFileName;
}

// `why` names the module's path (dlerror's messages do).
Status ModuleError(const std::string& why) {
  return FailedPreconditionError(std::string("serve needs the HTTP server module ") + server::kServerModuleFileName +
                                 " beside the tunepack binary: " + why +
                                 "; it is built with the binary (ninja -C build tunepack)");
}

}  // namespace

Result<const server::ServerModule*> LoadServerModule() {
  TP_ASSIGN_OR_RETURN(const std::string path, ModulePath());
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
