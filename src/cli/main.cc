// tunepack: documents and records in, fine-tuning datasets out.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/closest_command.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "tunepack/version.h"

namespace {

// When the first argument is meant as a command but names none, says which command it
// probably was (CLI11 alone would only say "A subcommand is required") and returns true.
bool ReportUnknownCommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string typed = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_name() == typed) return false;
    names.push_back(command->get_name());
  }
  const std::string closest = tunepack::cli::ClosestName(typed, names);
  std::string all;
  for (const std::string& name : names) all += (all.empty() ? "" : ", ") + name;
  if (!closest.empty()) {
    std::fprintf(stderr, "tunepack: unknown command '%s'; did you mean '%s'?\n", typed.c_str(),
                 closest.c_str());
  } else {
    std::fprintf(stderr, "tunepack: unknown command '%s'; the commands are %s\n", typed.c_str(),
                 all.c_str());
  }
  std::fprintf(stderr, "Run 'tunepack --help' for more information.\n");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Writing to a closed pipe (`tunepack ... | head`) must end quietly, not kill us with
  // SIGPIPE mid-write; writes then fail with EPIPE, which commands treat as done.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"tunepack: turn documents and records into datasets for fine-tuning language models."};
  app.footer(tunepack::cli::kExitCodeHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", tunepack::kVersionString);
  tunepack::cli::CommandContext context;
  tunepack::cli::RegisterCommands(app, context, argc >= 2 ? argv[1] : "");
  if (ReportUnknownCommand(app, argc, argv)) return tunepack::cli::kExitError;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : tunepack::cli::kExitError;
  }
  std::fflush(stdout);
  return context.exit_code;
}
