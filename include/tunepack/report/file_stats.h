// ComputeFileStats: the statistics of dataset files, read through the format registry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tunepack/format/format.h"
#include "tunepack/report/dataset_stats.h"

namespace tunepack::report {

// Returns the statistics of `paths` read as `forced` (null: each file's format detected).
// Records that are not valid records of their format are counted as unreadable, not fatal.
// Errors: NotFound for a missing file, InvalidArgument when no format fits a file, or the
// tokenizer's error.
Result<DatasetStats> ComputeFileStats(const std::vector<std::string>& paths,
                                      const format::Format* forced, const StatsOptions& options,
                                      std::optional<ExportCounts> export_counts = std::nullopt);

}  // namespace tunepack::report
