#include <cstdio>

#include "cli/command.h"
#include "tunepack/version.h"

namespace tunepack::cli {

void RegisterVersionCommand(CLI::App& app, CommandContext& context) {
  CLI::App* sub = app.add_subcommand("version", "Print the tunepack version");
  sub->callback([&context] {
    std::printf("tunepack %s\n", kVersion);
    context.exit_code = 0;
  });
}

}  // namespace tunepack::cli
