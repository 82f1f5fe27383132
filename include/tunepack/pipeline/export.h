// RunExport: the streaming export. Inputs are read in order, turned into examples by a pool
// of workers and written in input order, so the output is byte-identical at any thread
// count. Every input unit (a document file, or one record of a JSONL/JSON/CSV file) ends in
// exactly one place: an output file, or rejected.jsonl with a reason.
//
// Output folder:
//   <split><ext> (or <split>-NNNNN<ext> with max_records_per_file)  data
//   rejected.jsonl   one line per rejected input: source, record, line, column, reason, detail
//   manifest.json    tool version, options, inputs with hashes, counts, outputs with hashes
//   .tunepack-partial/   while running: every file being written and checkpoint.json; the
//                        files are renamed into the folder when the export is complete
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/pipeline/pack.h"
#include "tunepack/pipeline/events.h"
#include "tunepack/pipeline/progress.h"

namespace tunepack::pipeline {

// The names in an output folder (see above).
inline constexpr const char* kStagingDir = ".tunepack-partial";
inline constexpr const char* kCheckpointFile = "checkpoint.json";
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kRejectedFile = "rejected.jsonl";

struct OutputFileSummary {
  std::string path;   ///< relative to the output folder
  std::string split;
  uint64_t records = 0;
  uint64_t bytes = 0;
};

// Every input unit is written, filtered or rejected: inputs = written + filtered + rejected.
// Filtered units were dropped by a filter the user asked for (dedup, quality, language,
// decontamination, --max-example-tokens with --on-overlong drop); rejected units could not
// be used (unreadable, malformed, not convertible...). rejected.jsonl lists both.
struct ExportSummary {
  uint64_t inputs = 0;    ///< input units
  uint64_t written = 0;   ///< units written (each as one example)
  uint64_t filtered = 0;  ///< units dropped by a filter the options asked for
  uint64_t rejected = 0;  ///< units that could not be used
  uint64_t examples_written = 0;  ///< output records (more than units when chunking)
  uint64_t examples_truncated = 0;  ///< written after being cut (--on-overlong truncate)
  std::map<std::string, uint64_t> filtered_by_reason;  ///< drops the options asked for
  std::map<std::string, uint64_t> rejected_by_reason;  ///< the other drops
  std::map<std::string, uint64_t> pii_redacted;  ///< --redact-pii findings by kind
  std::vector<std::pair<std::string, PackSummary>> packed;  ///< --pack: per split
  std::vector<OutputFileSummary> outputs;
  bool part_already_complete = false;  ///< --shard: the part folder was complete; nothing done
  std::string first_rejection;  ///< "path:line:column: reason: detail" of the first rejected one
  std::string near_dedup_lsh;   ///< with --dedup near/both: the banding used, "b=.. r=.."
  // chat-template: the generation prompt its template left after every last assistant turn
  // (not stripped), and how many written texts end with it.
  std::string generation_prompt_left;
  uint64_t texts_with_generation_prompt = 0;
  // stats.json and report.html were computed by reading the data files back, not measured
  // while writing (--layout hf, or output that cannot be measured a record at a time).
  bool report_read_back = false;
};

// Returns true when a drop with ledger reason `reason` is one `options` asked for (a
// filter), not a failure to use the input: duplicate and near_duplicate (--dedup),
// low_quality (--quality-filter), language (--languages), contaminated (--decontaminate),
// too_long under --on-overlong drop.
bool IsRequestedFilter(RejectReason reason, const ExportOptions& options);

// Runs the export described by `options`, publishing its events to `subscriber` (the last
// one is run_finished, whatever the outcome). With `cancel`, the export stops soon after
// cancel->Cancel() and returns Cancelled, leaving the output folder resumable.
// Errors: InvalidArgument for unusable options, NotFound for a missing input,
// FailedPrecondition when the output folder holds another export (see --overwrite,
// --resume), Aborted-like Cancelled when --strict stops at the first rejected input.
Result<ExportSummary> RunExport(const ExportOptions& options, EventSubscriber& subscriber,
                                const CancelToken* cancel = nullptr);

}  // namespace tunepack::pipeline
