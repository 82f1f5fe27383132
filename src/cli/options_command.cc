// `tunepack options`: the declared options of export and convert, as a JSON Schema (what the
// HTTP API's OpenAPI document and the Python package use) or as the Markdown tables of
// docs/export.md.
#include <cstdio>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/core/enum_table.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::cli {
namespace {

inline constexpr EnumTable<options::CommandMask, 2> kCommands{
    "command", {{{options::kExport, "export"}, {options::kConvert, "convert"}}}};

}  // namespace

void RegisterOptionsCommand(CLI::App& app, CommandContext& context) {
  struct Flags {
    bool json_schema = false;
    bool markdown = false;
    std::string command = "export";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* sub = app.add_subcommand(
      "options", "Print the options of export or convert as a JSON Schema (--json-schema) or as Markdown tables");
  sub->add_flag("--json-schema", flags->json_schema, "Print the JSON Schema of the options (the default)");
  sub->add_flag("--markdown", flags->markdown, "Print the options as Markdown tables, one per group");
  sub->add_option("--command", flags->command, "export or convert")->capture_default_str();
  sub->callback([flags, &context] {
    Result<options::CommandMask> command = kCommands.Parse(flags->command);
    if (!command.has_value()) {
      context.exit_code = Fail(command.error());
      return;
    }
    const options::OptionTable& table = pipeline::ExportOptionTable();
    const std::string text = flags->markdown
                                 ? table.MarkdownTable(*command)
                                 : table.JsonSchema(*command, "tunepack " + flags->command + " options") + "\n";
    std::fputs(text.c_str(), stdout);
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
