// tunepack.export and tunepack.convert: the export pipeline from Python. The options come as
// one JSON object keyed by the declared options' JSON names (tunepack/_export.py builds it
// from keyword arguments), so names, types and choices are checked by the declarations
// (pipeline::ExportOptionsFromJson), never by a list kept here.
//
// The export runs on its own thread while the caller's thread waits with the GIL released,
// waking every few milliseconds to hand queued events to the Python callback and to let
// Python see a signal: Ctrl-C (KeyboardInterrupt), or an exception raised by the callback,
// cancels the run through its CancelToken, which leaves the output folder resumable, and is
// raised once the pipeline has stopped.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bindings.h"
#include "status_error.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/options/option_spec.h"
#include "tunepack/pipeline/events.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

// Events waiting for the Python callback; a publisher waits when this many are queued, so a
// slow callback slows the export rather than growing memory.
constexpr size_t kMaxQueuedEvents = 4096;
// How often the waiting thread wakes to look at signals.
constexpr auto kSignalCheckInterval = std::chrono::milliseconds(50);

// QueuedEvents: the export's subscriber. Events are queued as EventJson text (the shape of
// `--progress json` and the HTTP API's event stream) for the caller's thread to deliver.
class QueuedEvents : public pipeline::EventSubscriber {
 public:
  explicit QueuedEvents(bool all_events) : all_events_(all_events) {}

  void OnEvent(const pipeline::Event& event) override {
    if (!all_events_ && event.kind != pipeline::EventKind::kWarning) return;
    std::string json = pipeline::EventJson(event, OptionStyle::kJson);
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return queue_.size() < kMaxQueuedEvents || closed_; });
    if (closed_) return;
    queue_.push_back(std::move(json));
    changed_.notify_one();
  }

  void Finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_one();
  }

  // Stops queueing (after a cancellation nobody reads the events any more).
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    queue_.clear();
    space_.notify_all();
  }

  // Waits up to `timeout` for events or the end of the run; moves the queued events into
  // `out` and returns whether the run has finished (then every event is in `out`).
  bool Take(std::deque<std::string>& out, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return finished_ || !queue_.empty(); });
    out.swap(queue_);
    space_.notify_all();
    return finished_;
  }

 private:
  const bool all_events_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::condition_variable space_;
  std::deque<std::string> queue_;
  bool finished_ = false;
  bool closed_ = false;
};

options::CommandMask CommandOf(const std::string& command) {
  if (command == "export") return options::kExport;
  if (command == "convert") return options::kConvert;
  throw StatusError(InvalidArgumentError("unknown command '" + command + "'"));
}

// Runs an export; `deliver(event_json)` is called on this thread for each event (all of them
// when `all_events`, else warnings only). Returns nothing: the caller reads the manifest.
void RunExport(const std::string& options_json, const std::string& command, py::function deliver,
               bool all_events) {
  const options::CommandMask mask = CommandOf(command);
  Result<pipeline::ExportOptions> resolved = [&] {
    py::gil_scoped_release release;
    return pipeline::ExportOptionsFromJson(options_json, mask);
  }();
  const pipeline::ExportOptions export_options = ValueOrThrow(std::move(resolved));

  QueuedEvents events(all_events);
  pipeline::CancelToken cancel;
  Result<pipeline::ExportSummary> result = InternalError("the export did not run");
  std::thread runner([&] {
    result = pipeline::RunExport(export_options, events, &cancel);
    events.Finish();
  });
  // Whatever happens on this thread, the run is stopped and joined before returning.
  struct JoinOnExit {
    std::thread& runner;
    pipeline::CancelToken& cancel;
    QueuedEvents& events;
    ~JoinOnExit() {
      if (!runner.joinable()) return;
      cancel.Cancel();
      events.Close();
      py::gil_scoped_release release;
      runner.join();
    }
  } join_on_exit{runner, cancel, events};

  std::optional<py::error_already_set> interrupted;
  std::deque<std::string> batch;
  for (bool finished = false; !finished;) {
    {
      py::gil_scoped_release release;
      finished = events.Take(batch, kSignalCheckInterval);
    }
    for (std::string& json : batch) {
      if (interrupted) break;
      try {
        deliver(py::str(json));
      } catch (py::error_already_set& error) {
        interrupted = std::move(error);
      }
    }
    batch.clear();
    if (!interrupted && PyErr_CheckSignals() != 0) interrupted = py::error_already_set();
    if (interrupted && !cancel.cancelled()) {
      cancel.Cancel();
      events.Close();
    }
  }
  {
    py::gil_scoped_release release;
    runner.join();
  }
  if (interrupted) throw *interrupted;
  ThrowIfError(result.status());
}

// The declarations of the options `command` takes, for the Python wrapper's checks, its
// docstring and the type stubs (tools/update-python-stubs).
py::list DeclaredOptions(const std::string& command) {
  const options::CommandMask mask = CommandOf(command);
  py::list out;
  for (const options::OptionSpec& spec : pipeline::ExportOptionTable().specs()) {
    if ((spec.commands & mask) == 0 || spec.cli_only) continue;
    py::dict entry;
    entry["name"] = options::JsonKey(spec.name);
    entry["type"] = std::string(options::JsonTypeOf(spec.type));
    entry["is_list"] = spec.type == options::ValueType::kStringList;
    entry["choices"] = spec.choices;
    entry["default"] = spec.default_json;
    entry["doc"] = WordOptionRefs(spec.doc, OptionStyle::kJson);
    entry["group"] = spec.group;
    entry["required"] = spec.required;
    out.append(entry);
  }
  return out;
}

}  // namespace

void RegisterExport(py::module_& module) {
  using namespace pybind11::literals;
  module.def("run_export", &RunExport, "options_json"_a, "command"_a, "deliver"_a, "all_events"_a,
             "Runs an export or conversion (use tunepack.export and tunepack.convert).");
  module.def("declared_options", &DeclaredOptions, "command"_a,
             "Returns the declarations of the options of `command` (\"export\" or \"convert\").");
  module.def(
      "options_schema",
      [](const std::string& command) {
        return pipeline::ExportOptionTable().JsonSchema(CommandOf(command), "tunepack " + command + " options");
      },
      "command"_a, "Returns the JSON Schema of the options of `command`, as JSON text.");
}

}  // namespace tunepack::python
