// `tunepack validate FILE... [--format F] [--tokenizer T --max-tokens N]`: checks dataset
// files before upload or training; prints `FILE:LINE: error|warning: message` per problem.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/report/validate.h"

namespace tunepack::cli {
namespace {

struct ValidateFlags {
  std::vector<std::string> files;
  report::ValidateRequest request;
};

int RunValidate(const ValidateFlags& flags) {
  auto plan = report::ResolveValidateRequest(flags.request, flags.files);
  if (!plan.has_value()) return Fail(plan.error());
  const format::Format* forced = plan->forced;
  const report::ValidateOptions& options = plan->options;
  int exit_code = kExitOk;
  for (const std::string& path : flags.files) {
    auto summary = report::ValidateFile(path, forced, options, [&](const report::Problem& p) {
      std::printf("%s:%llu: %s: %s\n", path.c_str(), static_cast<unsigned long long>(p.line),
                  p.severity == report::Severity::kError ? "error" : "warning",
                  WordOptionRefs(p.message, OptionStyle::kCli).c_str());
    });
    if (!summary.has_value()) {
      PrintError(summary.error().message());
      exit_code = kExitError;
      continue;
    }
    std::printf("%s: %llu records checked as %s: %llu errors, %llu warnings\n", path.c_str(),
                static_cast<unsigned long long>(summary->records), summary->format.c_str(),
                static_cast<unsigned long long>(summary->errors),
                static_cast<unsigned long long>(summary->warnings));
    if (summary->missing_system > 0) {
      std::printf("%s: %llu examples have no system message (OpenAI's data-preparation notebook counts them)\n",
                  path.c_str(), static_cast<unsigned long long>(summary->missing_system));
    }
    if (summary->errors > 0 && exit_code == kExitOk) exit_code = kExitRejected;
  }
  return exit_code;
}

}  // namespace

void RegisterValidateCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ValidateFlags>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Check dataset files before upload or training: structure for every format, "
                  "OpenAI's chat fine-tuning checks for openai, and an optional token limit");
  sub->add_option("files", flags->files, "Dataset files")->required();
  sub->add_option("--format", flags->request.format, "Check the files as this format (default: detected)");
  sub->add_option("--target", flags->request.target,
                  "Check the files against this service's or trainer's rules and limits (see `tunepack targets`)");
  sub->add_option("--tokenizer", flags->request.tokenizer, "Tokenizer for --max-tokens");
  sub->add_option("--max-tokens", flags->request.max_tokens,
                  "Report examples over N tokens (contents, without chat-template overhead)");
  sub->add_option("--model", flags->request.model_dir,
                  "chat-template output: the model folder whose template rendered it; a text "
                  "ending with the generation prompt it leaves after the last turn is a warning");
  sub->footer("Output: one 'FILE:LINE: error|warning: message' line per problem, then a summary "
              "line per file. Exit codes: 0 no errors (warnings allowed); 1 some error; 2 usage "
              "error or a file that could not be read.");
  sub->callback([flags, &context] { context.exit_code = RunValidate(*flags); });
}

}  // namespace tunepack::cli
