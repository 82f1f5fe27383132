// ResultWriter: the one place where an export's output is decided. It takes the workers'
// results in task order and, for each example, runs the dedupers, writes the data file or
// the ledger line, keeps the counts (RunState), publishes the record events, enforces
// --strict and writes checkpoints. Because it sees results in task order only, the output
// never depends on how the workers were scheduled.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/dedup_stage.h"
#include "pipeline/event_publisher.h"
#include "pipeline/export_stats.h"
#include "pipeline/output_set.h"
#include "pipeline/run_state.h"
#include "pipeline/work.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {

// Returns the ledger line (rejected.jsonl, with its newline) of `rejection`.
std::string RejectionLine(const Rejection& rejection);

// Returns "path:line:column: reason: detail", as --strict and the summary show it.
std::string RejectionText(const Rejection& rejection);

// The dedupers --dedup asks for (none, exact, near or both), as an export and the plan stage
// of a sharded one both make them.
struct Dedupers {
  std::unique_ptr<dedup::ExactDeduper> exact;
  std::unique_ptr<dedup::NearDeduper> near;
};
Result<Dedupers> CreateDedupers(const ExportOptions& options);

// The dedup decision for one example (id DedupId), in input order: exact first, then near;
// `kept_name` names a kept example's input from its id. The single-machine export and the
// plan stage of a sharded one (BuildDedupPlan) both decide here, so their verdicts agree.
std::optional<Rejection> DecideDuplicate(dedup::ExactDeduper* exact, dedup::NearDeduper* near,
                                         const Hash128& exact_key, const dedup::Signature& signature, uint64_t id,
                                         const Origin& origin,
                                         const std::function<std::string(size_t)>& kept_name);

// The rejection of a duplicate whose verdict is `verdict` (near: by NearDeduper, else by
// ExactDeduper): what DecideDuplicate returns, and what a plan sharded by bucket writes.
Rejection DuplicateRejection(const dedup::Verdict& verdict, bool near, const Origin& origin,
                             const std::function<std::string(size_t)>& kept_name);

class ResultWriter {
 public:
  // Everything the writer works on; all of it outlives the writer.
  struct Parts {
    const ExportOptions* options = nullptr;
    const std::vector<SourceFile>* sources = nullptr;
    RunState* state = nullptr;
    OutputSet* outputs = nullptr;
    io::AppendFile* ledger = nullptr;      ///< rejected.jsonl in the staging folder
    dedup::ExactDeduper* exact = nullptr;  ///< null unless --dedup exact/both
    dedup::NearDeduper* near = nullptr;    ///< null unless --dedup near/both
    // A sharded dedup (dedup_stage.h): stage 1 writes the candidates' signatures, stage 3
    // takes the plan's verdicts; with either, `exact` and `near` are null.
    SignatureWriter* signatures = nullptr;
    const DedupPlan* plan = nullptr;
    EventPublisher* events = nullptr;
    ExportStats* stats = nullptr;          ///< counts the records written; null: the report reads them back
    std::string checkpoint_path;           ///< where Checkpoint() writes
    std::string options_json;              ///< the canonical options the checkpoint records
    uint64_t bytes_total = 0;              ///< input bytes, for progress
  };

  explicit ResultWriter(Parts parts);

  // The sequence number of the first result to expect. With dedup on, a resumed run replays
  // the results written before the interruption through the dedupers (and nothing else), so
  // their state is what it was; otherwise it starts after them.
  uint64_t first_seq() const;

  // Applies the result numbered `seq` (results come in sequence order). An error stops the
  // export: a failed write, or with --strict the first rejection that is not a filter.
  Status Apply(uint64_t seq, TaskResult& result);

  // Ends the stream: the last input's input_finished event.
  void Finish();

  // Puts what was applied on the disk and writes the checkpoint that covers it; --resume
  // continues from there.
  Status Checkpoint();

 private:
  std::optional<Rejection> CheckDuplicate(const UnitOutcome& outcome, uint64_t id) const;
  uint64_t candidates_ = 0;  ///< examples offered to dedup so far (the plan's numbering)
  // Apply, but for handing the records written from result.data to their files.
  Status ApplyRecords(uint64_t seq, TaskResult& result);
  Status ApplyOutcome(const TaskResult& result, UnitOutcome& outcome);
  void FinishInput();

  Parts p_;
  std::optional<size_t> open_input_;  ///< the input whose events are open
  bool unit_written_ = false;
  bool unit_failed_ = false;  ///< an example of the unit was dropped other than by a filter
  ProgressSnapshot snapshot_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_checkpoint_;
};

}  // namespace tunepack::pipeline
