// PartSet: the part folders of one sharded export, loaded and checked before a merge: each
// complete (its marker), each manifest as the rank wrote it, all of one run (options, input
// listing, rank count), every rank once, their slices of the inputs back to back.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/part_marker.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

struct LoadedPart {
  std::string dir;
  PartMarker marker;
  nlohmann::ordered_json manifest;
};

struct PartSet {
  std::vector<LoadedPart> parts;  ///< in rank order
  std::string options_json;       ///< the canonical options of the run, without "shard" and "dedup_plan"
};

// Returns `options_json` (canonical options) without its "shard" entry: the options of the
// export one process would have run.
std::string UnshardedOptionsJson(const std::string& options_json);

// Returns the content hash of the dedup plan a rank was run with ("" without one).
std::string DedupPlanHash(const std::string& options_json);

// True for the options of the first stage of a sharded dedup: --dedup on, no plan yet.
bool IsSignatureStage(const std::string& options_json);

// Returns the export options of the run, as one process resolves them (the format, the
// splits, the file cuts, dedup, the report's token figures), with `output_dir` as output.
Result<ExportOptions> ResolveRunOptions(const PartSet& set, const std::string& output_dir);

Result<PartSet> LoadPartSet(const std::vector<std::string>& dirs);

}  // namespace tunepack::pipeline
