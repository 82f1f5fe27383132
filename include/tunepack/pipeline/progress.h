// Progress events. The pipeline reports through ProgressSink; the terminal bar and the JSON
// event stream (and later the HTTP server's job status) are implementations of it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string_view>

#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// ProgressSnapshot: counts so far.
struct ProgressSnapshot {
  uint64_t inputs = 0;       ///< input units accounted for (written + rejected)
  uint64_t written = 0;      ///< input units written
  uint64_t rejected = 0;     ///< input units rejected
  uint64_t bytes_done = 0;   ///< input bytes consumed
  uint64_t bytes_total = 0;  ///< input bytes in all files (0 when unknown, e.g. stdin)
  double elapsed_seconds = 0;
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Called once before any work, with the size of the job when it is known.
  virtual void Start(uint64_t files, uint64_t bytes_total) = 0;
  // Called often (the sink decides how often to show it).
  virtual void Update(const ProgressSnapshot& snapshot) = 0;
  // A non-fatal condition the user should see (e.g. extension and content disagree).
  virtual void Warning(std::string_view message) = 0;
  // Called once at the end.
  virtual void Finish(const ProgressSnapshot& snapshot) = 0;
};

// Returns the sink for `mode` writing to `stream`: kAuto is a bar when `stream` is a
// terminal and warnings only otherwise; kJson writes one JSON object per line
// ({"event":"start"|"progress"|"warning"|"finish", ...}).
std::unique_ptr<ProgressSink> MakeProgressSink(ProgressMode mode, FILE* stream);

}  // namespace tunepack::pipeline
