// Where the running binary sits, for the files built and installed beside it (the server
// module, the PDF helper): its own path, not argv[0], which may be a link or a name found on
// PATH.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::io {

// Returns the path of `name` in the folder of the running binary (/proc/self/exe), whether
// or not such a file exists; FailedPrecondition when the binary's path cannot be read.
Result<std::string> BesideRunningBinary(std::string_view name);

}  // namespace tunepack::io
