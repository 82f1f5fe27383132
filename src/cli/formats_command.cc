// `tunepack formats`: the dataset formats that --format and --from take, one per line.
#include <algorithm>
#include <cstdio>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"

namespace tunepack::cli {

void RegisterFormatsCommand(CLI::App& app, CommandContext& context) {
  CLI::App* sub = app.add_subcommand(
      "formats", "List the dataset formats (for --format and --from), one per line: name and description");
  sub->callback([&context] {
    const auto& formats = format::BuiltinFormats().entries();
    size_t width = 0;
    for (const format::Format& f : formats) width = std::max(width, f.name.size());
    // Names are padded to one column so the list reads as a table in a terminal.
    for (const format::Format& f : formats) {
      std::printf("%-*s  %s\n", static_cast<int>(width), f.name.c_str(), WordOptionRefs(f.description, OptionStyle::kCli).c_str());
    }
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
