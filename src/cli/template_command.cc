// `tunepack template check FILE...`: reports syntax errors with line and column, and the
// variables each template reads from its context.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/io/file.h"
#include "tunepack/template/template.h"

namespace tunepack::cli {
namespace {

struct TemplateCheckFlags {
  std::vector<std::string> files;
  bool chat = false;
};

int RunTemplateCheck(const TemplateCheckFlags& flags) {
  int exit_code = kExitOk;
  for (const std::string& path : flags.files) {
    Result<std::string> text = io::ReadWholeFile(path, io::kMaxConfigFileBytes);
    if (!text.ok()) {
      PrintError(text.error().message());
      exit_code = kExitError;
      continue;
    }
    const jinja::TemplateOptions options = flags.chat ? jinja::ChatTemplateOptions() : jinja::TemplateOptions{};
    auto tpl = jinja::Template::Parse(*text, path, options);
    if (!tpl.ok()) {
      PrintError(tpl.error().message());
      exit_code = kExitError;
      continue;
    }
    std::string line = path + ": ok; reads:";
    for (const std::string& name : tpl->ReferencedVariables()) line += " " + name;
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return exit_code;
}

}  // namespace

void RegisterTemplateCommand(CLI::App& app, CommandContext& context) {
  CLI::App* tpl = app.add_subcommand("template", "Work with Jinja2 templates");
  tpl->require_subcommand(1);
  auto flags = std::make_shared<TemplateCheckFlags>();
  CLI::App* check = tpl->add_subcommand(
      "check", "Check templates for syntax errors and list the variables each one reads");
  check->add_option("FILE", flags->files, "Template files")->required();
  check->add_flag("--chat", flags->chat, "Parse as a chat template (transformers' environment)");
  check->footer("Prints `FILE: ok; reads: NAME...` per good template on stdout; a syntax error is printed "
                "as `tunepack: FILE:LINE:COLUMN: message` on stderr and the exit code is 2.");
  check->callback([flags, &context] { context.exit_code = RunTemplateCheck(*flags); });
}

}  // namespace tunepack::cli
