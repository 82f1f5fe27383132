// BuildDedupPlan: stage 2 of a sharded dedup (dedup_stage.h), in one of its two forms:
//   - one process: reads every rank's signature file in rank order, that is in the
//     single-machine input order, and decides with the same dedupers and the same
//     DecideDuplicate as one export, so the plan drops the same examples with the same
//     "duplicate of". Like the writer of one export, it holds the dedupers' state (keys and
//     LSH bands of every example, shingles with exact verification), not the texts;
//   - sharded by bucket (dedup_buckets.h): tasks over slices of the keys, then a combine
//     that writes the same plan, byte for byte.
#include "pipeline/dedup_buckets.h"
#include "pipeline/dedup_plan_io.h"
#include "pipeline/dedup_stage.h"
#include "pipeline/result_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {
namespace {

Result<DedupPlanSummary> BuildInOneProcess(const DedupPlanOptions& request) {
  TP_RETURN_IF_ERROR(PlanFile::CheckWritable(request.output, request.overwrite));
  TP_ASSIGN_OR_RETURN(const SignatureRun run, LoadSignatureRun(request.parts));
  TP_ASSIGN_OR_RETURN(Dedupers dedupers, CreateDedupers(run.options));
  PlanFile plan(run);
  DedupPlanSummary summary;
  summary.parts = static_cast<uint32_t>(run.set.parts.size());
  auto kept_name = [&](size_t source) { return run.InputName(source); };
  auto decide = [&](const SignatureEntry& entry) {
    std::optional<Rejection> duplicate =
        DecideDuplicate(dedupers.exact.get(), dedupers.near.get(), entry.key, entry.signature,
                        entry.id, Origin{}, kept_name);
    if (duplicate) {
      const bool near = duplicate->reason == RejectReason::kNearDuplicate;
      ++(near ? summary.near_duplicates : summary.exact_duplicates);
      plan.Add(entry.rank, entry.candidate, *duplicate);
    }
    return true;
  };
  TP_ASSIGN_OR_RETURN(const std::vector<uint64_t> examples, ForEachSignature(run, decide));
  for (const uint64_t count : examples) summary.candidates += count;
  if (dedupers.near) summary.near_dedup_lsh = dedupers.near->lsh().ToString();
  TP_RETURN_IF_ERROR(plan.Write(request.output));
  return summary;
}

}  // namespace

Result<DedupPlanSummary> BuildDedupPlan(const DedupPlanOptions& request) {
  if (request.bucket_shard.enabled()) {
    if (request.buckets_dir.empty()) {
      return InvalidArgumentError("dedup-plan: " + OptionRef("bucket-shard") + " writes into the folder " +
                                  OptionRef("buckets") + " names: give it");
    }
    if (!request.output.empty()) {
      return InvalidArgumentError("dedup-plan: a bucket task (" + OptionRef("bucket-shard") +
                                  ") writes no plan: leave out " + OptionRef("output") +
                                  ", and give it to the combine (" + OptionRef("buckets") + " without " +
                                  OptionRef("bucket-shard") + ")");
    }
    return RunBucketTask(request);
  }
  if (!request.buckets_dir.empty()) return CombineBucketTasks(request);
  return BuildInOneProcess(request);
}

}  // namespace tunepack::pipeline
