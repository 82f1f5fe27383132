// Which ledger reasons are filters the user asked for: those drops leave the export
// successful (exit 0), counted as "filtered" apart from the inputs that could not be used.
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {

bool IsRequestedFilter(std::string_view reason, const ExportOptions& options) {
  if (reason == "duplicate" || reason == "near_duplicate") return options.dedup != DedupMode::kOff;
  if (reason == "low_quality") return options.quality_filter;
  if (reason == "language") return !options.steps.languages.empty();
  if (reason == "contaminated") return !options.steps.decontaminate_files.empty();
  // Under split or truncate, a too_long example is one that could not be made to fit.
  if (reason == "too_long") {
    return options.max_example_tokens > 0 && options.on_overlong == OverlongPolicy::kDrop;
  }
  return false;
}

}  // namespace tunepack::pipeline
