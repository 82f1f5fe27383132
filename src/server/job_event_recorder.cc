#include "server/job_event_recorder.h"

#include <nlohmann/json.hpp>

namespace tunepack::server {

namespace {

using Clock = std::chrono::steady_clock;
using pipeline::EventKind;

JobProgress FromSnapshot(const pipeline::ProgressSnapshot& s, std::string stage) {
  return {s.inputs, s.written, s.rejected, s.bytes_done, s.bytes_total, s.elapsed_seconds, std::move(stage)};
}

nlohmann::json CountsJson(const JobProgress& p) {
  return {{"inputs", p.inputs},         {"written", p.written},
          {"rejected", p.rejected},     {"bytes_done", p.bytes_done},
          {"bytes_total", p.bytes_total}, {"elapsed_seconds", p.elapsed_seconds}};
}

}  // namespace

std::string SyntheticRunFinished(std::string_view status, std::string_view message,
                                 const JobProgress& progress) {
  nlohmann::json event = {{"event", "run_finished"}, {"status", status}};
  if (!message.empty()) event["message"] = message;
  event.update(CountsJson(progress));
  return event.dump();
}

void JobEventRecorder::OnEvent(const pipeline::Event& event) {
  std::unique_lock lock(mutex_);
  const auto now = Clock::now();
  std::string stage = progress_.stage.empty() ? "read" : progress_.stage;
  if (event.kind == EventKind::kStage) stage = std::string(event.stage);
  progress_ = FromSnapshot(event.progress, stage);
  bool keep = true;
  switch (event.kind) {
    case EventKind::kRecordWritten:
      keep = false;
      break;
    case EventKind::kRecordRejected:
      keep = rejections_stored_ < kMaxRejectionEvents;
      if (keep) ++rejections_stored_;
      break;
    case EventKind::kProgress:
      keep = now - last_progress_event_ >= std::chrono::milliseconds(250);
      if (keep) last_progress_event_ = now;
      break;
    case EventKind::kWarning:
      ++warnings_;
      break;
    case EventKind::kRunStarted:
      rejections_stored_ = 0;
      progress_.stage = "read";
      break;
    default:
      break;
  }
  const bool save = now - last_saved_ >= std::chrono::seconds(1);
  if (save) last_saved_ = now;
  const JobProgress snapshot = progress_;
  if (keep) Store(event);
  lock.unlock();
  if (save && on_progress_) on_progress_(snapshot);
}

void JobEventRecorder::Store(const pipeline::Event& event) {
  std::string json = pipeline::EventJson(event, OptionStyle::kJson);
  if (event.kind == EventKind::kRunFinished && interrupted_) {
    json = SyntheticRunFinished("interrupted", "the server stopped during the run; resume continues it",
                                FromSnapshot(event.progress, ""));
  }
  // A failed write loses one event; the job itself goes on (its record says how it ended).
  (void)log_.Append(pipeline::kEventKinds.Name(event.kind), json);
}

void JobEventRecorder::MarkInterrupted() {
  std::lock_guard lock(mutex_);
  interrupted_ = true;
}

JobProgress JobEventRecorder::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

uint64_t JobEventRecorder::warnings() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

}  // namespace tunepack::server
