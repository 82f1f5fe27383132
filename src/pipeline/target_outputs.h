// What an export for a target (--target) adds beside its data files: the target's file-level
// checks on each written file (example counts, file size; warnings in manifest.json and on
// the event stream) and its companion file (LLaMA-Factory's dataset_info.json).
#pragma once

#include <string>
#include <vector>

#include "tunepack/core/hash.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// Returns the warnings for the data files `files` the export wrote for options' target
// (none without a target): each file that breaks one of the target's known limits.
std::vector<std::string> CheckTargetOutputs(const ExportOptions& options, const std::vector<OutputFileSummary>& files);

// Returns InvalidArgument when options' target writes a companion file that describes JSONL
// files and the layout is not flat (--layout hf writes Parquet shards instead); checked
// before the export starts.
Status CheckTargetLayout(const ExportOptions& options);

// Writes the target's companion file into `staging` for `files` and returns its name, or ""
// when the target has none (or there is no target).
Result<std::string> WriteTargetCompanion(const ExportOptions& options, const std::string& staging,
                                         const std::vector<OutputFileSummary>& files);

}  // namespace tunepack::pipeline
