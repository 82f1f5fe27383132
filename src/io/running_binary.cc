#include "tunepack/io/running_binary.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tunepack::io {

Result<std::string> BesideRunningBinary(std::string_view name) {
  std::string self(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (n <= 0) {
    return FailedPreconditionError(std::string("cannot find the running binary (/proc/self/exe): ") +
                                   std::strerror(errno));
  }
  self.resize(static_cast<size_t>(n));
  return self.substr(0, self.find_last_of('/') + 1) + std::string(name);
}

}  // namespace tunepack::io
