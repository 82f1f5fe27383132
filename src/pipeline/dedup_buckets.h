// The plan stage of a sharded dedup, itself sharded by LSH bucket (docs/scale-out.md):
//   2a. M bucket tasks (`dedup-plan PARTS --bucket-shard J/M --buckets DIR`): task J reads
//       every rank's signatures but keeps only the keys that fall to it (band keys of near
//       dedup, exact keys), by hash: the first example with each key, and, for every later
//       example with a key of its, the candidate pair (later, that first one). It measures
//       each near pair as verification does, and writes the pairs to DIR/BucketFileName(J/M)
//       by an atomic rename (the file is the task's completion marker).
//   2b. The combine (`dedup-plan PARTS --buckets DIR -o PLAN`) reads the M files and
//       decides from the pairs alone: its memory and time follow the pairs, not the examples.
//
// Why pairs are enough: NearDeduper decides an example from the first earlier example of
// each of its band keys (kept or not), the earliest of those that passes verification,
// and that one's group. Which example is first with a key depends only on the order of the
// examples, never on a verdict, so a task that sees every example with its keys finds the
// same first one. The exact check runs before the near one and near dedup never sees an
// exact duplicate; that changes no first example, because an exact duplicate has the
// words, hence the band keys, of the earlier example it duplicates (the exact
// normalisation is a part of the near one). The combine checks that it holds.
#pragma once

#include <cstdint>
#include <string>

#include "tunepack/core/result.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {

// The file bucket task `task` writes: "dedup-buckets-0000J-of-0000M.bin".
std::string BucketFileName(ShardSpec task);

// Stage 2a: bucket task request.bucket_shard over request.parts into request.buckets_dir.
// A task whose file is already there for the same signatures does nothing (already_complete).
Result<DedupPlanSummary> RunBucketTask(const DedupPlanOptions& request);

// Stage 2b: the plan from every bucket task's file in request.buckets_dir, byte-identical to
// the plan one process makes from the same signatures.
Result<DedupPlanSummary> CombineBucketTasks(const DedupPlanOptions& request);

}  // namespace tunepack::pipeline
