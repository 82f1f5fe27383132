// JobEventRecorder: the server's subscriber to a running export. It keeps the job's event
// log and its latest counts. Per-record events are far too many to keep: written records are
// only counted, and only the first rejections of a run are kept as events (the ledger,
// rejected.jsonl, has them all); progress events are kept at most four times a second.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include "server/event_log.h"
#include "server/job.h"
#include "tunepack/pipeline/events.h"

namespace tunepack::server {

class JobEventRecorder : public pipeline::EventSubscriber {
 public:
  // Rejection events kept per run.
  static constexpr uint64_t kMaxRejectionEvents = 100;

  // `on_progress` is called with new counts at most once a second (to save job.json).
  JobEventRecorder(EventLog& log, std::function<void(const JobProgress&)> on_progress)
      : log_(log), on_progress_(std::move(on_progress)) {}

  void OnEvent(const pipeline::Event& event) override;

  // The run_finished event of this run will say `interrupted` (the server is stopping).
  void MarkInterrupted();

  JobProgress progress() const;
  uint64_t warnings() const;

 private:
  void Store(const pipeline::Event& event);

  EventLog& log_;
  std::function<void(const JobProgress&)> on_progress_;
  mutable std::mutex mutex_;
  JobProgress progress_;
  uint64_t warnings_ = 0;
  uint64_t rejections_stored_ = 0;
  bool interrupted_ = false;
  std::chrono::steady_clock::time_point last_progress_event_{};
  std::chrono::steady_clock::time_point last_saved_{};
};

// Returns the JSON of a run_finished event for a run that ended outside the pipeline (a
// queued job cancelled, a server killed mid-run): {"event":"run_finished","status":...}.
std::string SyntheticRunFinished(std::string_view status, std::string_view message,
                                 const JobProgress& progress);

}  // namespace tunepack::server
