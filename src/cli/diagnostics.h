// Diagnostics printed at the edge: one line on stderr, "tunepack: <message>".
#pragma once

#include <string_view>

#include "tunepack/core/status.h"

namespace tunepack::cli {

// Prints "tunepack: <message>" on stderr.
void PrintError(std::string_view message);
// Prints "tunepack: warning: <message>" on stderr.
void PrintWarning(std::string_view message);
// Prints the status message and returns kExitError, for `return Fail(status);`.
int Fail(const Status& status);

}  // namespace tunepack::cli
