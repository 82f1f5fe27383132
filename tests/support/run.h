// Running the tunepack binary (or any shell command) from tests.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "tp_test_paths.h"

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

// Runs `command` with /bin/sh in a process group of its own and kills the whole group with
// SIGKILL after `delay` (the kill-and-resume tests).
inline void RunAndKill(const std::string& command, std::chrono::milliseconds delay) {
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  kill(-pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
}

// True when the export folder `out` holds an interrupted export: a checkpoint in the
// staging folder and no manifest.
inline bool Interrupted(const std::filesystem::path& out) {
  return !std::filesystem::exists(out / "manifest.json") &&
         std::filesystem::exists(out / ".tunepack-partial" / "checkpoint.json");
}

// Runs `command` (an export into `out`; --overwrite is added) and kills it after growing
// delays until one run is interrupted after a checkpoint. Short delays come first: an idle
// machine finishes a test-sized export in tens of milliseconds, a loaded one takes seconds,
// and a kill that lands before the first checkpoint only costs its delay. Returns false when
// no kill landed mid-run.
inline bool InterruptAfterACheckpoint(const std::string& command, const std::filesystem::path& out) {
  for (int delay_ms : {10, 20, 40, 80, 150, 300, 600, 1200, 2500}) {
    RunAndKill(command + " --overwrite 2>/dev/null", std::chrono::milliseconds(delay_ms));
    if (Interrupted(out)) return true;
  }
  return false;
}

}  // namespace tunepack::testing
