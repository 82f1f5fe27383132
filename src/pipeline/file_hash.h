// Output files' content hashes (manifest.json's xxh3_128), read in blocks so any size fits.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "tunepack/core/hash.h"
#include "tunepack/core/result.h"

namespace tunepack::pipeline {

// Returns the XXH3-128 of the file at `path`, handing each block read to `consume` on the
// way when one is given (the merge copies a part file and checks it in one pass).
Result<Hash128> HashFile(const std::string& path,
                         const std::function<Status(std::string_view block)>& consume = nullptr);

}  // namespace tunepack::pipeline
