#include "cli/command.h"
#include "cli/export_flags.h"

namespace tunepack::cli {

void RegisterExportCommand(CLI::App& app, CommandContext& context) {
  AddExportCommand(app, context, options::kExport, "export",
                   "Turn documents (txt, md, html) and records (jsonl, json, csv, parquet) into a dataset folder: "
                   "data files per split, manifest.json and rejected.jsonl");
}

}  // namespace tunepack::cli
