// HelperProcess: runs an external helper program (tunepack-pdf) on one document, bounded in
// time, memory and output, and reports how it ended. Internal to the ingest module.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

// HelperLimits: what one helper run may use before it is killed.
struct HelperLimits {
  std::chrono::milliseconds timeout{60'000};  ///< wall-clock time, then SIGKILL
  uint64_t address_space_bytes = 1ull << 30;  ///< RLIMIT_AS of the helper (0: unlimited)
  size_t max_output_bytes = 256u << 20;       ///< stdout beyond this: killed
};

// HelperRun: how a helper run ended.
struct HelperRun {
  std::string output;        ///< everything it wrote to stdout (up to the limit)
  std::string error_tail;    ///< the last few hundred bytes of its stderr
  int exit_code = -1;        ///< its exit status, or -1 when a signal ended it
  int signal = 0;            ///< the signal that ended it, or 0
  bool timed_out = false;    ///< killed for running past the time limit
  bool output_too_large = false;  ///< killed for writing past the output limit

  // Returns true when the helper exited by itself with status 0.
  bool ok() const { return exit_code == 0 && !timed_out && !output_too_large; }
  // Returns one line saying how a run that is not ok() ended, e.g. "killed by signal 11
  // (Segmentation fault)", "timed out after 60 s".
  std::string Describe(const HelperLimits& limits) const;
};

// Runs `program` with `args`, its stdin a sealed in-memory file holding `input` (no pipe to
// write, so a helper that dies early cannot raise SIGPIPE here). The child is killed when
// the thread that started it dies (PR_SET_PDEATHSIG), inherits no other descriptors, and
// has no core dumps. Errors: NotFound when `program` cannot be executed; Internal when the
// process cannot be started at all.
Result<HelperRun> RunHelper(const std::string& program, const std::vector<std::string>& args,
                            std::string_view input, const HelperLimits& limits);

}  // namespace tunepack::ingest::internal
