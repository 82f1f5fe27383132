// VerifyResumedInputs: --resume continues output that was made from the inputs as they were
// when the run was interrupted. An input truncated, extended before the point reached, or
// edited in place (even keeping its size and modification time) would leave data from the
// old file beside data from the new one under a manifest that describes only the new one.
// The checkpoint keeps, for each input, the size and modification time it had and the
// XXH3-128 hash of the bytes read for the tasks already written; this re-reads that prefix
// and refuses to resume when anything differs.
#pragma once

#include <vector>

#include "pipeline/run_state.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {

// Returns OK when `sources` are the inputs `state` was checkpointed from, with the same
// bytes up to what was consumed; FailedPrecondition naming the first input that changed.
Status VerifyResumedInputs(const RunState& state, const std::vector<SourceFile>& sources);

}  // namespace tunepack::pipeline
