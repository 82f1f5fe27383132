// `tunepack pack FILE... --seq-len N -o OUT.jsonl [--tokenizer SPEC]`: packs the examples of
// JSONL dataset files into sequences of at most N tokens (see tunepack/pipeline/pack.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/pipeline/pack.h"

namespace tunepack::cli {
namespace {

struct PackFlags {
  std::vector<std::string> files;
  std::string output;
  std::string tokenizer;
  size_t seq_len = 0;
  bool add_special = false;
};

int RunPack(const PackFlags& flags) {
  pipeline::PackOptions options;
  options.seq_len = flags.seq_len;
  options.add_special = flags.add_special;
  if (!flags.tokenizer.empty()) {
    auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
    if (!tokenizer.ok()) return Fail(tokenizer.error());
    options.tokenizer = *tokenizer;
  }
  auto summary = pipeline::PackJsonlFiles(flags.files, options, flags.output);
  if (!summary.ok()) return Fail(summary.error());
  std::fprintf(stderr,
               "tunepack: packed %llu of %llu examples into %llu sequences of at most %zu tokens "
               "(%llu tokens, efficiency %.2f%%)\n",
               static_cast<unsigned long long>(summary->packed),
               static_cast<unsigned long long>(summary->examples),
               static_cast<unsigned long long>(summary->sequences), flags.seq_len,
               static_cast<unsigned long long>(summary->tokens), 100 * summary->efficiency);
  if (summary->overlong == 0) return kExitOk;
  std::string examples;
  for (const std::string& where : summary->overlong_examples) {
    examples += (examples.empty() ? "" : ", ") + where;
  }
  PrintWarning(std::to_string(summary->overlong) + " example(s) longer than " +
               std::to_string(flags.seq_len) + " tokens were left out: " + examples);
  return kExitRejected;
}

}  // namespace

void RegisterPackCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<PackFlags>();
  CLI::App* sub = app.add_subcommand(
      "pack", "Pack the examples of JSONL dataset files into sequences of at most N tokens "
              "(first-fit-decreasing), with position ids and labels for padding-free training");
  sub->add_option("files", flags->files, "JSONL files whose records hold input_ids or text")->required();
  sub->add_option("-o,--output", flags->output, "The packed JSONL file to write")->required();
  sub->add_option("--seq-len", flags->seq_len, "Tokens per packed sequence")->required();
  sub->add_option("--tokenizer", flags->tokenizer,
                  "Tokenizer for records given as text: a built-in name or a path");
  sub->add_flag("--add-special", flags->add_special,
                "Add BOS/EOS to tokenized text the way the tokenizer's post-processor does");
  sub->footer(
      "Each output line is {\"input_ids\",\"position_ids\",\"labels\",\"lengths\"}: position ids "
      "restart at 0 for each example, labels are -100 outside trained tokens (only the "
      "assistant_masks tokens when a record has them) and at each example's first token. "
      "Exit codes: 0 all packed; 1 some examples were longer than --seq-len and left out; 2 error.");
  sub->callback([flags, &context] { context.exit_code = RunPack(*flags); });
}

}  // namespace tunepack::cli
