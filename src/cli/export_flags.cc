#include "cli/export_flags.h"

#include <cstdio>
#include <map>
#include <string>

#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "cli/option_flags.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::cli {

void AddExportCommand(CLI::App& app, CommandContext& context, options::CommandMask command,
                      std::string_view name, std::string_view description) {
  CLI::App* sub = app.add_subcommand(std::string(name), std::string(description));
  auto flags = std::make_shared<OptionFlags>(*sub, pipeline::ExportOptionTable(), command);
  sub->callback([flags, command, &context] {
    Result<options::OptionValues> values = flags->Values();
    if (!values.has_value()) {
      context.exit_code = Fail(values.error());
      return;
    }
    Result<pipeline::ExportOptions> options = pipeline::ResolveExportOptions(std::move(*values), command);
    if (!options.has_value()) {
      context.exit_code = Fail(options.error());
      return;
    }
    context.exit_code = RunExportAndReport(*options);
  });
}

int RunExportAndReport(const pipeline::ExportOptions& options) {
  auto progress = pipeline::MakeProgressSink(options.progress, stderr);
  Result<pipeline::ExportSummary> summary = pipeline::RunExport(options, *progress);
  if (!summary.has_value()) return Fail(summary.error());
  if (summary->part_already_complete) {
    std::fprintf(stderr, "tunepack: rank %s in %s is already complete (%s); nothing to do\n",
                 options.shard.ToString().c_str(), options.output_dir.c_str(), pipeline::kPartMarkerFile);
    return kExitOk;
  }
  std::string files;
  for (const pipeline::OutputFileSummary& file : summary->outputs) {
    if (!files.empty()) files += ", ";
    files += file.path + " " + std::to_string(file.records);
  }
  std::string examples;
  if (options.chunk) {
    examples = " as " + std::to_string(summary->examples_written) + " chunks";
  }
  std::fprintf(stderr, "tunepack: %llu inputs: %llu written%s (%s), %llu filtered, %llu rejected\n",
               static_cast<unsigned long long>(summary->inputs),
               static_cast<unsigned long long>(summary->written), examples.c_str(), files.c_str(),
               static_cast<unsigned long long>(summary->filtered),
               static_cast<unsigned long long>(summary->rejected));
  if (summary->examples_truncated > 0) {
    std::fprintf(stderr, "tunepack: %llu examples were truncated to --max-example-tokens %llu "
                 "(--on-overlong truncate; counted in manifest.json)\n",
                 static_cast<unsigned long long>(summary->examples_truncated),
                 static_cast<unsigned long long>(options.max_example_tokens));
  }
  if (summary->texts_with_generation_prompt > 0) {
    std::fprintf(stderr,
                 "tunepack: warning: %llu texts end with the chat template's generation prompt %s "
                 "(an empty assistant turn the model would train on); --strip-generation-prompt "
                 "cuts it\n",
                 static_cast<unsigned long long>(summary->texts_with_generation_prompt),
                 JsonQuote(summary->generation_prompt_left).c_str());
  }
  if (!summary->near_dedup_lsh.empty()) {
    std::fprintf(stderr, "tunepack: near dedup used LSH %s\n", summary->near_dedup_lsh.c_str());
  }
  for (const auto& [path, packed] : summary->packed) {
    std::fprintf(stderr,
                 "tunepack: %s: %llu of %llu examples in %llu sequences, efficiency %.2f%%%s\n",
                 path.c_str(), static_cast<unsigned long long>(packed.packed),
                 static_cast<unsigned long long>(packed.examples),
                 static_cast<unsigned long long>(packed.sequences), 100 * packed.efficiency,
                 packed.overlong == 0 ? ""
                                      : (", " + std::to_string(packed.overlong) +
                                         " longer than --pack left out").c_str());
  }
  if (!summary->pii_redacted.empty()) {
    std::string kinds;
    for (const auto& [kind, count] : summary->pii_redacted) {
      if (!kinds.empty()) kinds += ", ";
      kinds += kind + " " + std::to_string(count);
    }
    std::fprintf(stderr, "tunepack: redacted PII: %s\n", kinds.c_str());
  }
  auto by_reason = [](const std::map<std::string, uint64_t>& counts) {
    std::string reasons;
    for (const auto& [reason, count] : counts) {
      if (!reasons.empty()) reasons += ", ";
      reasons += reason + " " + std::to_string(count);
    }
    return reasons;
  };
  // Drops the user asked for (dedup, quality, language, decontamination, too_long under
  // --on-overlong drop) are the export doing its job: they are listed, not failed on.
  if (!summary->filtered_by_reason.empty()) {
    std::fprintf(stderr, "tunepack: filtered as asked: %s; all in %s/rejected.jsonl\n",
                 by_reason(summary->filtered_by_reason).c_str(), options.output_dir.c_str());
  }
  if (summary->rejected == 0) return kExitOk;
  std::fprintf(stderr, "tunepack: rejected: %s; first: %s; all in %s/rejected.jsonl\n",
               by_reason(summary->rejected_by_reason).c_str(), summary->first_rejection.c_str(),
               options.output_dir.c_str());
  return kExitRejected;
}

}  // namespace tunepack::cli
