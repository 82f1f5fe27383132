// `tunepack merge PART... -o OUT [--overwrite]`: joins the part folders of a sharded export
// (`export --shard I/N`) into one export folder (see tunepack/pipeline/shard.h).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::cli {
namespace {

int RunMerge(const pipeline::MergeOptions& options) {
  Result<pipeline::MergeSummary> summary = pipeline::MergeParts(options);
  if (!summary.has_value()) return Fail(summary.error());
  std::string files;
  for (const auto& [path, records] : summary->outputs) {
    files += (files.empty() ? "" : ", ") + path + " " + std::to_string(records);
  }
  std::fprintf(stderr, "tunepack: merged %u parts into %s: %llu inputs: %llu written (%s), %llu filtered, "
               "%llu rejected\n",
               summary->parts, options.output_dir.c_str(), static_cast<unsigned long long>(summary->inputs),
               static_cast<unsigned long long>(summary->written), files.c_str(),
               static_cast<unsigned long long>(summary->filtered),
               static_cast<unsigned long long>(summary->rejected));
  return summary->rejected == 0 ? kExitOk : kExitRejected;
}

}  // namespace

void RegisterMergeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<pipeline::MergeOptions>();
  CLI::App* sub = app.add_subcommand(
      "merge", "Join the part folders of a sharded export (export --shard I/N) into one export folder, "
               "byte-identical to the export one process writes");
  sub->add_option("parts", options->parts, "The part folders of every rank (any order)")->required();
  sub->add_option("-o,--output", options->output_dir, "The export folder to write")->required();
  sub->add_flag("--overwrite", options->overwrite, "Replace an export already in the output folder");
  sub->footer(
      "Refuses parts without their completion marker (tunepack-part.json), parts of other options or "
      "inputs, missing or repeated ranks, and an output folder holding files tunepack did not write. "
      "Exit codes: 0 merged; 1 merged, with rejected inputs (see rejected.jsonl); 2 error. "
      "See docs/scale-out.md.");
  sub->callback([options, &context] { context.exit_code = RunMerge(*options); });
}

}  // namespace tunepack::cli
