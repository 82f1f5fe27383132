// HtmlReport: DatasetStats as report.html, one self-contained page (inline CSS and inline
// SVG charts, no script, no link to anything) that opens in any browser without a network.
// Every number that also appears in stats.json carries its stats.json path in a `data-key`
// attribute, which is how the tests check that the two agree.
#pragma once

#include <string>

#include "tunepack/report/dataset_stats.h"

namespace tunepack::report {

// Returns report.html's content. Deterministic: same statistics, same bytes.
std::string HtmlReport(const DatasetStats& stats);

}  // namespace tunepack::report
