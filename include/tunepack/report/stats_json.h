// StatsJson: DatasetStats as stats.json, the machine-readable form whose keys are documented
// in docs/stats.md and kept stable (add, don't rename). Deterministic: same statistics, same
// bytes (no times, no machine-dependent values).
#pragma once

#include <string>

#include "tunepack/report/dataset_stats.h"

namespace tunepack::report {

// The percentiles every distribution reports, with their JSON keys.
inline constexpr struct {
  const char* key;
  double fraction;
} kPercentiles[] = {{"p50", 0.50}, {"p90", 0.90}, {"p95", 0.95}, {"p99", 0.99}};

// The number of bins of the token histogram in stats.json and report.html.
inline constexpr size_t kHistogramBins = 20;

// Returns stats.json's content: pretty-printed JSON ending with a newline.
std::string StatsJson(const DatasetStats& stats);

}  // namespace tunepack::report
