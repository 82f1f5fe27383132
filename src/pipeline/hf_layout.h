// The Hugging Face dataset layout (--layout hf): each split's records as Parquet shards
// data/<split>-NNNNN-of-NNNNN.parquet (cut by --max-shard-mb), and README.md, a dataset card
// whose YAML front matter (configs, dataset_info) `datasets.load_dataset(folder)` and the
// Hub read. Built from the export's finished JSON Lines split files in the staging folder,
// which it replaces; deterministic, and memory bounded by one row group.
#pragma once

#include <string>
#include <vector>

#include "pipeline/export_stats.h"
#include "pipeline/run_state.h"
#include "tunepack/format/format.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

// The folder of the Parquet shards inside the output folder.
inline constexpr const char* kHfDataDir = "data";
// The dataset card.
inline constexpr const char* kDatasetCardFile = "README.md";

// Converts `files` (JSONL, in `staging`) into Parquet shards under staging/data and writes
// staging/README.md (the caller removes `files` once the manifest is ready), and returns the shards (paths relative to the folder).
// `options_json` is the run's canonical options (named in the card). With a `tokenizer`,
// the card gives each split's token figures, counted as stats.json counts them (the
// records read back as `output_format`'s files are). With `stats`, each record is measured
// in the pass that writes it, for the card and for stats.json (`stats` then stands for
// reading the shards back, unless it gave up: stats->measured()).
Result<std::vector<OutputFileSummary>> WriteHfLayout(const ExportOptions& options, const std::string& staging,
                                                     const std::vector<OutputFileSummary>& files,
                                                     const RunState& state, const std::string& options_json,
                                                     const format::Format& output_format,
                                                     std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                                     ExportStats* stats);

}  // namespace tunepack::pipeline
