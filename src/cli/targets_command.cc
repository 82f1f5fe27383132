// `tunepack targets`: the services and trainers that --target (export, validate) and
// convert's --to take, one per line; with a name, its formats, rules and limits.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/format/target.h"

namespace tunepack::cli {
namespace {

void PrintLimit(const char* what, const format::Limit& limit, bool bytes) {
  std::printf("  %-22s %s (%s)\n", what, format::DescribeLimit(limit, bytes).c_str(), limit.source.c_str());
}

int ShowTarget(const std::string& name) {
  auto target = format::FindTarget(name);
  if (!target.has_value()) return Fail(target.error());
  const format::Target& t = **target;
  std::string formats;
  for (const std::string& f : t.formats) formats += (formats.empty() ? "" : ", ") + f;
  std::printf("%s: %s\n", t.name.c_str(), t.description.c_str());
  std::printf("  %-22s %s\n", "formats", formats.c_str());
  std::printf("  %-22s %s\n", "files", t.file_naming.c_str());
  PrintLimit("min examples", t.min_examples, false);
  PrintLimit("max examples", t.max_examples, false);
  PrintLimit("max file size", t.max_file_bytes, true);
  PrintLimit("max tokens per example", t.max_tokens_per_example, false);
  if (!t.notes.empty()) std::printf("  %-22s %s\n", "notes", t.notes.c_str());
  return kExitOk;
}

}  // namespace

void RegisterTargetsCommand(CLI::App& app, CommandContext& context) {
  auto name = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "targets", "List the services and trainers (for --target and convert --to), one per line: name and "
                 "description; with a NAME, its formats, files and published limits");
  sub->add_option("name", *name, "Show this target's formats, files and limits");
  sub->callback([name, &context] {
    if (!name->empty()) {
      context.exit_code = ShowTarget(*name);
      return;
    }
    const auto& targets = format::BuiltinTargets().entries();
    size_t width = 0;
    for (const format::Target& t : targets) width = std::max(width, t.name.size());
    // Names are padded to one column so the list reads as a table in a terminal.
    for (const format::Target& t : targets) {
      std::printf("%-*s  %s\n", static_cast<int>(width), t.name.c_str(), t.description.c_str());
    }
    context.exit_code = kExitOk;
  });
}

}  // namespace tunepack::cli
