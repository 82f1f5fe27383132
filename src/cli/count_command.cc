// `tunepack count --tokenizer SPEC FILE...`: token counts per file and in total.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/core/utf8.h"
#include "tunepack/io/file.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {
namespace {

struct CountFlags {
  std::string tokenizer;
  bool allow_special = false;
  std::vector<std::string> files;
};

// Through io::, which reads "-" as standard input and refuses a FIFO or a device.
Result<std::string> ReadInput(const std::string& path) { return io::ReadWholeFile(path); }

int RunCount(const CountFlags& flags) {
  auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
  if (!tokenizer.ok()) return Fail(tokenizer.error());
  tokenize::EncodeOptions options;
  options.allow_special = flags.allow_special;
  uint64_t total = 0;
  int exit_code = kExitOk;
  std::string repaired;
  for (const std::string& path : flags.files) {
    auto text = ReadInput(path);
    if (!text.ok()) {
      PrintError(text.error().message());
      exit_code = kExitError;
      continue;
    }
    std::string_view input = *text;
    // Tokenizers take valid UTF-8: invalid bytes become U+FFFD, said once per file.
    if (!IsValidUtf8(input)) {
      auto report = RepairUtf8(input, InvalidUtf8Policy::kReplace, &repaired);
      if (report.ok()) {
        PrintWarning(path + ": " + std::to_string(report->invalid_sequences) +
                     " invalid UTF-8 sequence(s) counted as U+FFFD, the first at byte " +
                     std::to_string(report->first_invalid));
      }
      input = repaired;
    }
    auto count = (*tokenizer)->Count(input, options);
    if (!count.ok()) {
      PrintError(count.error().WithContext(path).message());
      exit_code = kExitError;
      continue;
    }
    total += *count;
    std::printf("%zu\t%s\n", *count, path.c_str());
  }
  std::printf("%llu\ttotal\n", static_cast<unsigned long long>(total));
  return exit_code;
}

}  // namespace

void RegisterCountCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<CountFlags>();
  CLI::App* sub = app.add_subcommand(
      "count", "Count the tokens of each FILE (its whole text; '-' reads stdin), then the total");
  sub->add_option("--tokenizer", flags->tokenizer,
                  "A built-in name (see `tunepack tokenizers`) or a path to a tokenizer file")
      ->required();
  sub->add_flag("--allow-special", flags->allow_special,
                "Count special-token strings found in the text as their special tokens");
  sub->add_option("files", flags->files, "Files to count")->required();
  sub->footer(
      "Special-token strings that occur in the text are counted as ordinary text unless "
      "--allow-special is given. Output: '<count>\\t<file>' lines, then '<total>\\ttotal'.");
  sub->callback([flags, &context] { context.exit_code = RunCount(*flags); });
}

}  // namespace tunepack::cli
