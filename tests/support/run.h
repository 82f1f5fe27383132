// Running the tunepack binary (or any shell command) from tests.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace tunepack::testing {

struct CommandOutput {
  int exit_code = -1;
  std::string out;  ///< standard output
};

// Runs `command` with /bin/sh, with `tunepack` on PATH (the built binary), and returns its
// exit code and standard output. Standard error goes where the test's goes unless the
// command redirects it.
inline CommandOutput RunShell(const std::string& command) {
  const std::string bin_dir = std::filesystem::path(TP_BINARY).parent_path().string();
  const std::string full = "PATH='" + bin_dir + "':\"$PATH\"; " + command;
  CommandOutput result;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 65536> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace tunepack::testing
