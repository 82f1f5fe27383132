// Pipeline events. An export publishes what happens as typed events to one subscriber: the
// terminal progress bar, the `--progress json` stream and the HTTP server's job event
// stream are subscribers. Events reach the subscriber one at a time, in the order they were
// published, each with the counts so far, whatever thread published them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/core/enum_table.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/core/status.h"

namespace tunepack::pipeline {

// ProgressSnapshot: counts so far.
struct ProgressSnapshot {
  uint64_t inputs = 0;       ///< input units accounted for (written + rejected)
  uint64_t written = 0;      ///< input units written
  uint64_t rejected = 0;     ///< input units rejected
  uint64_t bytes_done = 0;   ///< input bytes consumed
  uint64_t bytes_total = 0;  ///< input bytes in all files (0 when unknown, e.g. stdin)
  double elapsed_seconds = 0;
};

enum class EventKind {
  kRunStarted,      ///< before any work: files, progress.bytes_total
  kInputStarted,    ///< an input file is about to be read: input_index, path
  kInputFinished,   ///< every unit of an input file is accounted for: input_index, path
  kRecordWritten,   ///< one example written: input_index, path, record, split
  kRecordRejected,  ///< one unit rejected: input_index, path, record, reason, detail
  kProgress,        ///< a batch was applied: progress
  kStage,           ///< a pass after the stream (pack, report): stage, done, total
  kWarning,         ///< something the user should know: message
  kRunFinished,     ///< the last event: status (ok, cancelled, or the error) and message
};
inline constexpr EnumTable<EventKind, 9> kEventKinds{
    "event",
    {{{EventKind::kRunStarted, "run_started"}, {EventKind::kInputStarted, "input_started"},
      {EventKind::kInputFinished, "input_finished"}, {EventKind::kRecordWritten, "record_written"},
      {EventKind::kRecordRejected, "record_rejected"}, {EventKind::kProgress, "progress"},
      {EventKind::kStage, "stage"}, {EventKind::kWarning, "warning"},
      {EventKind::kRunFinished, "run_finished"}}}};

// Event: one thing that happened. Fields other than `kind` and `progress` are set for the
// kinds their comments name; string views are valid only during the OnEvent call.
struct Event {
  EventKind kind = EventKind::kProgress;
  ProgressSnapshot progress;
  uint64_t files = 0;               ///< run_started
  uint64_t input_index = 0;         ///< input_*, record_*
  std::string_view path;            ///< input_*, record_*
  uint64_t record = 0;              ///< record_*: 0-based record number in its input
  std::string_view split;           ///< record_written
  std::string_view reason;          ///< record_rejected: the ledger's reason
  std::string_view detail;          ///< record_rejected
  bool filtered = false;            ///< record_rejected: a drop the options asked for (a filter)
  std::string_view stage;           ///< stage
  uint64_t done = 0;                ///< stage
  uint64_t total = 0;               ///< stage
  std::string_view message;         ///< warning; run_finished: the error, if any
  StatusCode status = StatusCode::kOk;  ///< run_finished
};

// Returns the event as one JSON object, {"event": "<kind name>", ...} with the fields that
// kind sets and the counts so far. Messages name options in `style`; a rejection's detail
// spells them as the ledger does (the CLI's way), so events and rejected.jsonl agree.
std::string EventJson(const Event& event, OptionStyle style = OptionStyle::kCli);

// EventSubscriber: receives every event of a run.
class EventSubscriber {
 public:
  virtual ~EventSubscriber() = default;
  virtual void OnEvent(const Event& event) = 0;
};

// CancelToken: asks a running export to stop. The export stops taking new input, writes its
// checkpoint and returns Cancelled; the output folder stays resumable.
class CancelToken {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace tunepack::pipeline
