// The stages that take every record of a split, once its files are complete: --pack,
// --layout hf, and --target's companion file and file checks. The export runs them after
// writing; for a sharded export `tunepack merge` runs them on the merged files (a rank holds
// a slice of each split, so it runs only the target's, which the merge runs again).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/export_stats.h"
#include "pipeline/run_state.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

// What the stages leave for the caller to finish.
struct SplitStagesResult {
  std::vector<OutputFileSummary> replaced;   ///< JSON Lines files --layout hf turned into Parquet
  std::vector<std::string> target_warnings;  ///< the target's file checks
};

// Runs the stages on `state.files` in `staging`: packs each split into
// <split>.packed.jsonl (manifest.packed), writes the Parquet shards and the dataset card
// (state.files become the shards; manifest.dataset_card), writes the target's companion file
// (manifest.target_file) and checks its file limits. `slice`: the files are a rank's slice,
// so packing and the Parquet layout wait for the merge. `stats` measures the records in the
// pass that writes the shards (may be null: stats.json then reads them back). `stage` is
// told each stage's name as it starts.
Result<SplitStagesResult> RunSplitStages(const ExportOptions& options, const std::string& staging,
                                         std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                         const std::string& options_json, const format::Format& output_format,
                                         bool slice, ExportStats* stats, RunState& state, ManifestData& manifest,
                                         const std::function<void(std::string_view)>& stage);

// Removes the files --layout hf replaced, once the report that may read them is written.
void RemoveReplacedFiles(const std::string& staging, const std::vector<OutputFileSummary>& files);

}  // namespace tunepack::pipeline
