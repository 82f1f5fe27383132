#include "cli/command.h"

#include <string_view>

namespace tunepack::cli {

// One declaration and one entry of kCommands per command; the definitions live in
// <name>_command.cc.
void RegisterVersionCommand(CLI::App& app, CommandContext& context);
void RegisterTokenizeCommand(CLI::App& app, CommandContext& context);
void RegisterCountCommand(CLI::App& app, CommandContext& context);
void RegisterTokenizersCommand(CLI::App& app, CommandContext& context);
void RegisterExportCommand(CLI::App& app, CommandContext& context);
void RegisterConvertCommand(CLI::App& app, CommandContext& context);
void RegisterFormatsCommand(CLI::App& app, CommandContext& context);
void RegisterTargetsCommand(CLI::App& app, CommandContext& context);
void RegisterRenderCommand(CLI::App& app, CommandContext& context);
void RegisterChatTemplateCommand(CLI::App& app, CommandContext& context);
void RegisterTemplateCommand(CLI::App& app, CommandContext& context);
void RegisterPackCommand(CLI::App& app, CommandContext& context);
void RegisterStatsCommand(CLI::App& app, CommandContext& context);
void RegisterValidateCommand(CLI::App& app, CommandContext& context);
void RegisterOptionsCommand(CLI::App& app, CommandContext& context);
void RegisterServeCommand(CLI::App& app, CommandContext& context);
void RegisterMergeCommand(CLI::App& app, CommandContext& context);
void RegisterDedupPlanCommand(CLI::App& app, CommandContext& context);

namespace {

// CommandEntry: a command's name, as its Register function names the subcommand, and that
// function.
struct CommandEntry {
  std::string_view name;
  void (*add)(CLI::App& app, CommandContext& context);
};

// In the order `tunepack --help` lists them.
constexpr CommandEntry kCommands[] = {
    {"export", RegisterExportCommand},
    {"convert", RegisterConvertCommand},
    {"merge", RegisterMergeCommand},
    {"dedup-plan", RegisterDedupPlanCommand},
    {"formats", RegisterFormatsCommand},
    {"targets", RegisterTargetsCommand},
    {"version", RegisterVersionCommand},
    {"tokenize", RegisterTokenizeCommand},
    {"count", RegisterCountCommand},
    {"tokenizers", RegisterTokenizersCommand},
    {"render", RegisterRenderCommand},
    {"chat-template", RegisterChatTemplateCommand},
    {"template", RegisterTemplateCommand},
    {"pack", RegisterPackCommand},
    {"stats", RegisterStatsCommand},
    {"validate", RegisterValidateCommand},
    {"options", RegisterOptionsCommand},
    {"serve", RegisterServeCommand},
};

}  // namespace

void RegisterCommands(CLI::App& app, CommandContext& context, std::string_view invoked) {
  // Building a command's options costs start-up time in every run (export and convert
  // declare a hundred options each), so a run that names its command builds only that one.
  for (const CommandEntry& command : kCommands) {
    if (command.name == invoked) {
      command.add(app, context);
      return;
    }
  }
  for (const CommandEntry& command : kCommands) command.add(app, context);
}

}  // namespace tunepack::cli
