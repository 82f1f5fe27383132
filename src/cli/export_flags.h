// The `export` and `convert` commands: their flags come from the export option declarations
// (pipeline::ExportOptionTable); the summary of a run is printed here.
#pragma once

#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::cli {

// Adds the subcommand `name` taking the declared options of `command`; it resolves them,
// runs the export and sets the exit code.
void AddExportCommand(CLI::App& app, CommandContext& context, options::CommandMask command,
                      std::string_view name, std::string_view description);

// Runs the export and prints its summary on stderr; returns the exit code.
int RunExportAndReport(const pipeline::ExportOptions& options);

}  // namespace tunepack::cli
