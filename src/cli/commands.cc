#include "cli/command.h"

namespace tunepack::cli {

// One declaration and one call per command; the definitions live in <name>_command.cc.
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

void RegisterCommands(CLI::App& app, CommandContext& context) {
  RegisterExportCommand(app, context);
  RegisterConvertCommand(app, context);
  RegisterMergeCommand(app, context);
  RegisterDedupPlanCommand(app, context);
  RegisterFormatsCommand(app, context);
  RegisterTargetsCommand(app, context);
  RegisterVersionCommand(app, context);
  RegisterTokenizeCommand(app, context);
  RegisterCountCommand(app, context);
  RegisterTokenizersCommand(app, context);
  RegisterRenderCommand(app, context);
  RegisterChatTemplateCommand(app, context);
  RegisterTemplateCommand(app, context);
  RegisterPackCommand(app, context);
  RegisterStatsCommand(app, context);
  RegisterValidateCommand(app, context);
  RegisterOptionsCommand(app, context);
  RegisterServeCommand(app, context);
}

}  // namespace tunepack::cli
