#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/export_flags.h"

namespace tunepack::cli {

void RegisterExportCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ExportFlags>();
  flags->format = "jsonl";
  CLI::App* sub = app.add_subcommand(
      "export",
      "Turn documents (txt, md, html) and records (jsonl, json, csv) into a dataset folder: "
      "data files per split, manifest.json and rejected.jsonl");
  AddExportFlags(*sub, *flags, /*converting=*/false);
  sub->add_option("-f,--format", flags->format, "Output format (see `tunepack formats`)")
      ->capture_default_str();
  sub->callback([flags, &context] {
    Result<pipeline::ExportOptions> options = ToExportOptions(*flags, /*converting=*/false);
    context.exit_code = options.has_value() ? RunExportAndReport(*options) : Fail(options.error());
  });
}

}  // namespace tunepack::cli
