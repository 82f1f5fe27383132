// Sources: the command line's inputs expanded to an ordered list of files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::pipeline {

struct SourceFile {
  std::string path;   ///< as shown in the ledger and manifest; "-" for stdin
  uint64_t size = 0;  ///< bytes (0 for stdin)
};

// Expands `inputs`: files are kept as given; folders are walked recursively in byte order
// of their paths (so the order, and with it the output, never depends on the file system),
// keeping files that match an include glob (when any are given) and no exclude glob. Globs
// match the path relative to the folder, `*` also crossing '/', plus the bare file name.
// Hidden files and folders (".name") are skipped. A missing input is NotFound.
Result<std::vector<SourceFile>> ExpandInputs(const std::vector<std::string>& inputs,
                                             const std::vector<std::string>& include_globs,
                                             const std::vector<std::string>& exclude_globs);

}  // namespace tunepack::pipeline
