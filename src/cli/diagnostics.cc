#include "cli/diagnostics.h"

#include <cstdio>
#include <string>

#include "cli/exit_codes.h"

namespace tunepack::cli {

void PrintError(std::string_view message) {
  std::fprintf(stderr, "tunepack: %.*s\n", static_cast<int>(message.size()), message.data());
}

void PrintWarning(std::string_view message) {
  std::fprintf(stderr, "tunepack: warning: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

}  // namespace tunepack::cli
