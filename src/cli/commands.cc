#include "cli/command.h"

namespace tunepack::cli {

// One declaration and one call per command; the definitions live in <name>_command.cc.
void RegisterVersionCommand(CLI::App& app, CommandContext& context);

void RegisterCommands(CLI::App& app, CommandContext& context) {
  RegisterVersionCommand(app, context);
}

}  // namespace tunepack::cli
