// The CLI's command registry. Each command lives in its own <name>_command.cc, defines a
// Register<Name>Command function that adds a CLI11 subcommand, and is listed once in
// commands.cc. Commands set `exit_code` from their callback; see exit_codes.h.
#pragma once

#include <CLI/CLI.hpp>

namespace tunepack::cli {

// CommandContext: what every command shares.
struct CommandContext {
  int exit_code = 0;
};

// Adds every command as a subcommand of `app`.
void RegisterCommands(CLI::App& app, CommandContext& context);

}  // namespace tunepack::cli
