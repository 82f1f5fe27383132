// `tunepack dedup-plan PART... -o PLAN [--overwrite]`: stage 2 of a sharded dedup (see
// tunepack/pipeline/shard.h and docs/scale-out.md), in one process; or sharded by LSH bucket:
// `--bucket-shard J/M --buckets DIR` (task J of M), then `--buckets DIR -o PLAN` (the combine).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::cli {
namespace {

void PrintSummary(const pipeline::DedupPlanOptions& options, const pipeline::DedupPlanSummary& summary) {
  const std::string lsh = summary.near_dedup_lsh.empty() ? "" : "; LSH " + summary.near_dedup_lsh;
  if (options.bucket_shard.enabled()) {
    if (summary.already_complete) {
      std::fprintf(stderr, "tunepack: bucket task %s: %s is already complete for these signatures; nothing to do\n",
                   options.bucket_shard.ToString().c_str(), summary.bucket_file.c_str());
      return;
    }
    std::fprintf(stderr, "tunepack: bucket task %s: %llu candidate pairs among %llu examples of %u parts in %s%s\n",
                 options.bucket_shard.ToString().c_str(), static_cast<unsigned long long>(summary.pairs),
                 static_cast<unsigned long long>(summary.candidates), summary.parts, summary.bucket_file.c_str(),
                 lsh.c_str());
    return;
  }
  std::string from = std::to_string(summary.parts) + " parts";
  if (summary.bucket_tasks > 0) {
    from += " (" + std::to_string(summary.pairs) + " candidate pairs of " + std::to_string(summary.bucket_tasks) +
            " bucket tasks)";
  }
  std::fprintf(stderr, "tunepack: dedup plan %s from %s: %llu examples, %llu exact and %llu near duplicates%s\n",
               options.output.c_str(), from.c_str(), static_cast<unsigned long long>(summary.candidates),
               static_cast<unsigned long long>(summary.exact_duplicates),
               static_cast<unsigned long long>(summary.near_duplicates), lsh.c_str());
}

}  // namespace

void RegisterDedupPlanCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<pipeline::DedupPlanOptions>();
  auto bucket_shard = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "dedup-plan", "Decide the duplicates of a sharded export from every rank's signatures "
                    "(export --shard I/N --dedup MODE), as one process would: the plan the ranks then "
                    "take with --dedup-plan. In one process, or as --bucket-shard tasks and their combine");
  sub->add_option("parts", options->parts, "The signature part folders of every rank (any order)")->required();
  sub->add_option("-o,--output", options->output, "The plan file to write (not with --bucket-shard)");
  sub->add_option("--bucket-shard", *bucket_shard,
                  "J/M: run bucket task J of M: find the candidate pairs of 1/M of the LSH buckets and exact "
                  "keys, into the folder --buckets names");
  sub->add_option("--buckets", options->buckets_dir,
                  "The bucket tasks' folder: with --bucket-shard, where the task writes its file; without, "
                  "the files of all M tasks the plan is combined from");
  sub->add_flag("--overwrite", options->overwrite,
                "Replace a plan tunepack wrote there (or a bucket file of other signatures)");
  sub->footer("Exit codes: 0 written (or a bucket task already complete); 2 error. See docs/scale-out.md.");
  sub->callback([options, bucket_shard, &context] {
    Result<pipeline::ShardSpec> shard = pipeline::ParseShardSpec(*bucket_shard, "bucket-shard");
    if (!shard.has_value()) {
      context.exit_code = Fail(shard.error());
      return;
    }
    options->bucket_shard = *shard;
    Result<pipeline::DedupPlanSummary> summary = pipeline::BuildDedupPlan(*options);
    if (!summary.has_value()) {
      context.exit_code = Fail(summary.error());
      return;
    }
    PrintSummary(*options, *summary);
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
