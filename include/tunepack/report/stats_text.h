// StatsText: DatasetStats as the human-readable summary `tunepack stats` prints.
#pragma once

#include <string>

#include "tunepack/report/dataset_stats.h"

namespace tunepack::report {

// Returns the summary, one fact per line, ending with a newline.
std::string StatsText(const DatasetStats& stats);

}  // namespace tunepack::report
