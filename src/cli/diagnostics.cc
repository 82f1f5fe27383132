#include "cli/diagnostics.h"

#include <cstdio>
#include <string>

#include "cli/exit_codes.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::cli {

// Messages from the library name options neutrally (OptionRef); the CLI spells them as flags.
void PrintError(std::string_view message) {
  const std::string worded = WordOptionRefs(message, OptionStyle::kCli);
  std::fprintf(stderr, "tunepack: %s\n", worded.c_str());
}

void PrintWarning(std::string_view message) {
  const std::string worded = WordOptionRefs(message, OptionStyle::kCli);
  std::fprintf(stderr, "tunepack: warning: %s\n", worded.c_str());
}

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

}  // namespace tunepack::cli
