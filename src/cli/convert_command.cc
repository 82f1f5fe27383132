#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/export_flags.h"

namespace tunepack::cli {

void RegisterConvertCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* sub = app.add_subcommand(
      "convert",
      "Convert dataset files between formats (detected per file, or --from). A record that "
      "would lose information in the target format is refused and listed in rejected.jsonl");
  AddExportFlags(*sub, *flags, /*converting=*/true);
  sub->add_option("-t,--to", flags->format, "Target format (see `tunepack formats`)")->required();
  sub->callback([flags, &context] {
    Result<pipeline::ExportOptions> options = ToExportOptions(*flags, /*converting=*/true);
    context.exit_code = options.has_value() ? RunExportAndReport(*options) : Fail(options.error());
  });
}

}  // namespace tunepack::cli
