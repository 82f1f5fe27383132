#include "tunepack/pipeline/events.h"

#include "tunepack/core/json_writer.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::pipeline {

std::string EventJson(const Event& e, OptionStyle style) {
  std::string line;
  JsonObjectWriter object(line);
  object.String("event", kEventKinds.Name(e.kind));
  switch (e.kind) {
    case EventKind::kRunStarted:
      object.Int("files", static_cast<int64_t>(e.files));
      break;
    case EventKind::kInputStarted:
    case EventKind::kInputFinished:
      object.Int("input", static_cast<int64_t>(e.input_index));
      object.String("path", e.path);
      break;
    case EventKind::kRecordWritten:
    case EventKind::kRecordRejected:
      object.Int("input", static_cast<int64_t>(e.input_index));
      object.String("path", e.path);
      object.Int("record", static_cast<int64_t>(e.record));
      if (e.kind == EventKind::kRecordWritten) {
        object.String("split", e.split);
      } else {
        object.String("reason", e.reason);
        object.String("detail", WordOptionRefs(e.detail, OptionStyle::kCli));
        object.Bool("filtered", e.filtered);
      }
      break;
    case EventKind::kStage:
      object.String("stage", e.stage);
      object.Int("done", static_cast<int64_t>(e.done));
      object.Int("total", static_cast<int64_t>(e.total));
      break;
    case EventKind::kWarning:
      object.String("message", WordOptionRefs(e.message, style));
      break;
    case EventKind::kRunFinished:
      object.String("status", e.status == StatusCode::kOk ? "ok" : StatusCodeName(e.status));
      if (!e.message.empty()) object.String("message", WordOptionRefs(e.message, style));
      break;
    case EventKind::kProgress:
      break;
  }
  const ProgressSnapshot& s = e.progress;
  object.Int("inputs", static_cast<int64_t>(s.inputs));
  object.Int("written", static_cast<int64_t>(s.written));
  object.Int("rejected", static_cast<int64_t>(s.rejected));
  object.Int("bytes_done", static_cast<int64_t>(s.bytes_done));
  object.Int("bytes_total", static_cast<int64_t>(s.bytes_total));
  object.Key("elapsed_seconds") += std::to_string(s.elapsed_seconds);
  object.Close();
  return line;
}

}  // namespace tunepack::pipeline
