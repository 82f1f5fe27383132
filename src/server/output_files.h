// The files of a job's output folder as the API lists and serves them: regular files
// directly in the folder, without the hidden ones (the checkpoint, temporary files).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/job.h"

namespace tunepack::server {

// Returns whether `name` may be served from an output folder: one path component, not
// hidden, no control characters.
bool IsServableOutputName(std::string_view name);

// Returns the servable files of `dir`, sorted by name, with sizes and no hashes.
std::vector<JobFile> ListOutputFiles(const std::string& dir);

// Returns the same with XXH3-128 hashes: those manifest.json records are taken from it, the
// others (manifest.json itself, stats.json, report.html) are computed.
std::vector<JobFile> HashOutputFiles(const std::string& dir);

}  // namespace tunepack::server
