// Reading JSONL outputs and quoting paths for shell commands, in end-to-end tests.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace tunepack::testing {

// Returns `path` in single quotes for /bin/sh (test paths hold no single quote).
inline std::string Quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Returns each line of the JSONL file `file`, parsed.
inline std::vector<nlohmann::json> JsonLines(const std::filesystem::path& file) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(ReadFile(file));
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace tunepack::testing
