// `tunepack validate FILE... [--format F] [--tokenizer T --max-tokens N]`: checks dataset
// files before upload or training; prints `FILE:LINE: error|warning: message` per problem.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/format/format.h"
#include "tunepack/report/validate.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {
namespace {

struct ValidateFlags {
  std::vector<std::string> files;
  std::string format;
  std::string tokenizer;
  uint64_t max_tokens = 0;
  std::string model_dir;  ///< chat-template output: the model whose template rendered it
};

int RunValidate(const ValidateFlags& flags) {
  report::ValidateOptions options;
  if (flags.max_tokens > 0) {
    if (flags.tokenizer.empty()) {
      return Fail(InvalidArgumentError("--max-tokens needs --tokenizer (e.g. --tokenizer cl100k_base)"));
    }
    auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
    if (!tokenizer.has_value()) return Fail(tokenizer.error());
    options.tokenizer = *tokenizer;
    options.max_tokens = flags.max_tokens;
  } else if (!flags.tokenizer.empty()) {
    return Fail(InvalidArgumentError("--tokenizer is for the token limit: pass --max-tokens N as well"));
  }
  const format::Format* forced = nullptr;
  if (!flags.format.empty()) {
    auto found = format::FindFormat(flags.format);
    if (!found.has_value()) return Fail(found.error());
    forced = *found;
    // A write-only format (chat-template) is checked as the format its files are read as.
    if (!forced->read_as.empty()) {
      auto read_as = format::ReadBackFormat(*forced, flags.files);
      if (!read_as.has_value()) return Fail(read_as.error());
      forced = *read_as;
    }
  }
  if (!flags.model_dir.empty()) {
    auto bound = format::BindFormat("chat-template", {flags.model_dir, ""});
    if (!bound.has_value()) return Fail(bound.error());
    options.generation_prompt = (*bound)->dangling_generation_prompt;
  }
  int exit_code = kExitOk;
  for (const std::string& path : flags.files) {
    auto summary = report::ValidateFile(path, forced, options, [&](const report::Problem& p) {
      std::printf("%s:%llu: %s: %s\n", path.c_str(), static_cast<unsigned long long>(p.line),
                  p.severity == report::Severity::kError ? "error" : "warning", p.message.c_str());
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
  sub->add_option("--format", flags->format, "Check the files as this format (default: detected)");
  sub->add_option("--tokenizer", flags->tokenizer, "Tokenizer for --max-tokens");
  sub->add_option("--max-tokens", flags->max_tokens,
                  "Report examples over N tokens (contents, without chat-template overhead)");
  sub->add_option("--model", flags->model_dir,
                  "chat-template output: the model folder whose template rendered it; a text "
                  "ending with the generation prompt it leaves after the last turn is a warning");
  sub->footer("Output: one 'FILE:LINE: error|warning: message' line per problem, then a summary "
              "line per file. Exit codes: 0 no errors (warnings allowed); 1 some error; 2 usage "
              "error or a file that could not be read.");
  sub->callback([flags, &context] { context.exit_code = RunValidate(*flags); });
}

}  // namespace tunepack::cli
