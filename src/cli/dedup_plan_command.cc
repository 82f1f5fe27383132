// `tunepack dedup-plan PART... -o PLAN [--overwrite]`: stage 2 of a sharded dedup (see
// tunepack/pipeline/shard.h and docs/scale-out.md).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::cli {

void RegisterDedupPlanCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<pipeline::DedupPlanOptions>();
  CLI::App* sub = app.add_subcommand(
      "dedup-plan", "Decide the duplicates of a sharded export from every rank's signatures "
                    "(export --shard I/N --dedup MODE), as one process would: the plan the ranks then "
                    "take with --dedup-plan");
  sub->add_option("parts", options->parts, "The signature part folders of every rank (any order)")->required();
  sub->add_option("-o,--output", options->output, "The plan file to write")->required();
  sub->add_flag("--overwrite", options->overwrite, "Replace a plan tunepack wrote there");
  sub->footer("Exit codes: 0 written; 2 error. See docs/scale-out.md.");
  sub->callback([options, &context] {
    Result<pipeline::DedupPlanSummary> summary = pipeline::BuildDedupPlan(*options);
    if (!summary.has_value()) {
      context.exit_code = Fail(summary.error());
      return;
    }
    std::fprintf(stderr,
                 "tunepack: dedup plan %s from %u parts: %llu examples, %llu exact and %llu near duplicates%s%s\n",
                 options->output.c_str(), summary->parts, static_cast<unsigned long long>(summary->candidates),
                 static_cast<unsigned long long>(summary->exact_duplicates),
                 static_cast<unsigned long long>(summary->near_duplicates),
                 summary->near_dedup_lsh.empty() ? "" : "; LSH ", summary->near_dedup_lsh.c_str());
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
