// `tunepack tokenizers`: the built-in tokenizer names, for --tokenizer.
#include <cstdio>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {

void RegisterTokenizersCommand(CLI::App& app, CommandContext& context) {
  CLI::App* sub = app.add_subcommand(
      "tokenizers",
      "List the built-in tokenizers: '<name>\\t<description>' per line. --tokenizer also "
      "takes a path to a tokenizer file.");
  sub->callback([&context] {
    for (const auto& info : tokenize::ListBuiltinTokenizers()) {
      std::printf("%s\t%s\n", info.name.c_str(), info.description.c_str());
    }
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
