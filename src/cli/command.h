// The CLI's command registry. Each command lives in its own <name>_command.cc, defines a
// Register<Name>Command function that adds a CLI11 subcommand, and is listed once in
// commands.cc. Commands set `exit_code` from their callback; see exit_codes.h.
#pragma once

#include <string_view>

#include <CLI/CLI.hpp>

namespace tunepack::cli {

// CommandContext: what every command shares.
struct CommandContext {
  int exit_code = 0;
};

// Adds the command named `invoked` (the run's first argument) as a subcommand of `app`, or
// every command when `invoked` names none (help, --version, a mistyped command).
void RegisterCommands(CLI::App& app, CommandContext& context, std::string_view invoked);

}  // namespace tunepack::cli
