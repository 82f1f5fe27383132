#include "cli/command.h"
#include "cli/export_flags.h"

namespace tunepack::cli {

void RegisterConvertCommand(CLI::App& app, CommandContext& context) {
  AddExportCommand(app, context, options::kConvert, "convert",
                   "Convert dataset files between formats (detected per file, or --from). A record that "
                   "would lose information in the target format is refused and listed in rejected.jsonl");
}

}  // namespace tunepack::cli
