// Which ledger reasons are filters the user asked for: those drops leave the export
// successful (exit 0), counted as "filtered" apart from the inputs that could not be used.
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {

bool IsRequestedFilter(RejectReason reason, const ExportOptions& options) {
  switch (reason) {
    case RejectReason::kDuplicate:
    case RejectReason::kNearDuplicate: return options.dedup != DedupMode::kOff;
    case RejectReason::kLowQuality: return options.quality_filter;
    case RejectReason::kLanguage: return !options.steps.languages.empty();
    case RejectReason::kContaminated: return !options.steps.decontaminate_files.empty();
    // Under split or truncate, a too_long example is one that could not be made to fit.
    case RejectReason::kTooLong:
      return options.max_example_tokens > 0 && options.on_overlong == OverlongPolicy::kDrop;
    default: return false;
  }
}

}  // namespace tunepack::pipeline
