// tunepack: documents and records in, fine-tuning datasets out.
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "tunepack/version.h"

int main(int argc, char** argv) {
  // Writing to a closed pipe (`tunepack ... | head`) must end quietly, not kill us with
  // SIGPIPE mid-write; writes then fail with EPIPE, which commands treat as done.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"tunepack: turn documents and records into datasets for fine-tuning language models."};
  app.footer(tunepack::cli::kExitCodeHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", tunepack::kVersionString);
  tunepack::cli::CommandContext context;
  tunepack::cli::RegisterCommands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : tunepack::cli::kExitError;
  }
  std::fflush(stdout);
  return context.exit_code;
}
