// tunepack.read: the examples of a dataset file (any registered format) or of an export's
// output folder, one at a time. A reader thread walks the files (report::ReadDataset) and
// hands examples over in small batches through a bounded queue, so memory stays flat
// however large the dataset; the Python side waits for a batch with the GIL released.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bindings.h"
#include "status_error.h"
#include "tunepack/core/document.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/format/format.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/dataset_stats.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

constexpr size_t kBatchSize = 256;  ///< examples per hand-over
constexpr size_t kMaxBatches = 8;   ///< batches waiting at most

void AppendMetadata(std::string& out, const Metadata& metadata) { metadata.AppendJsonObject(out); }

// Returns `example` as one JSON object: {"text": ...} or {"messages": [...], "tools": [...]},
// the fields of the record no format field holds, "metadata" when there is some, and the
// origin ("source", "line") and, for an export folder, "split".
std::string ExampleJson(const Example& example, uint64_t line, const std::string& source, const std::string& split) {
  std::string out;
  JsonObjectWriter object(out);
  if (example.kind == ExampleKind::kText) {
    object.String("text", example.text);
  } else {
    std::string& messages = object.Key("messages");
    messages.push_back('[');
    for (size_t i = 0; i < example.messages.size(); ++i) {
      const Message& m = example.messages[i];
      if (i != 0) messages.push_back(',');
      JsonObjectWriter message(messages);
      message.String("role", RoleName(m.role));
      if (m.has_content) {
        message.String("content", m.content);
      } else {
        message.Raw("content", "null");
      }
      if (!m.name.empty()) message.String("name", m.name);
      if (m.weight) message.Int("weight", *m.weight);
      if (!m.tool_calls.empty()) {
        std::string& calls = message.Key("tool_calls");
        calls.push_back('[');
        for (size_t c = 0; c < m.tool_calls.size(); ++c) {
          if (c != 0) calls.push_back(',');
          JsonObjectWriter call(calls);
          if (!m.tool_calls[c].id.empty()) call.String("id", m.tool_calls[c].id);
          call.String("type", "function");
          std::string& function = call.Key("function");
          JsonObjectWriter fn(function);
          fn.String("name", m.tool_calls[c].name);
          fn.String("arguments", m.tool_calls[c].arguments);
          fn.Close();
          call.Close();
        }
        calls.push_back(']');
      }
      if (!m.tool_call_id.empty()) message.String("tool_call_id", m.tool_call_id);
      message.Close();
    }
    messages.push_back(']');
    if (!example.tools.empty()) object.Raw("tools", example.tools);
  }
  for (const MetadataEntry& field : example.unread_fields.entries()) object.Raw(field.key, field.json);
  if (!example.metadata.empty()) AppendMetadata(object.Key("metadata"), example.metadata);
  object.String("source", source);
  if (line != 0) object.Int("line", static_cast<int64_t>(line));
  if (!split.empty()) object.String("split", split);
  object.Close();
  return out;
}

// DatasetReader: iterates batches of example JSON texts; see the file comment.
class DatasetReader {
 public:
  DatasetReader(const std::string& path, const std::optional<std::string>& format_name,
                const std::optional<std::string>& split) {
    if (format_name) forced_ = ValueOrThrow(format::FindFormat(*format_name));
    Status listed = [&] {
      py::gil_scoped_release release;
      return ListFiles(path, split);
    }();
    ThrowIfError(listed);
    reader_ = std::thread([this] { ReadAll(); });
  }

  ~DatasetReader() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
      space_.notify_all();
    }
    py::gil_scoped_release release;
    if (reader_.joinable()) reader_.join();
  }

  // Returns the next batch, or throws StopIteration at the end (or the reading error).
  py::list Next() {
    std::vector<std::string> batch;
    bool ended = false;
    Status status;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex_);
      filled_.wait(lock, [&] { return !batches_.empty() || done_; });
      if (!batches_.empty()) {
        batch = std::move(batches_.front());
        batches_.pop_front();
        space_.notify_all();
      } else {
        ended = true;
        status = status_;
      }
    }
    if (ended) {
      ThrowIfError(status);
      throw py::stop_iteration();
    }
    py::list out(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) out[i] = py::str(batch[i]);
    return out;
  }

 private:
  struct File {
    std::string path;
    std::string split;
  };

  // The files to read: `path` itself, or the data files of the export folder `path`.
  Status ListFiles(const std::string& path, const std::optional<std::string>& split) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      files_.push_back({path, ""});
      return Status::Ok();
    }
    TP_ASSIGN_OR_RETURN(report::ExportFolder folder, report::ReadExportFolder(path));
    for (size_t i = 0; i < folder.files.size(); ++i) {
      const std::string file_split = i < folder.splits.size() ? folder.splits[i] : std::string();
      if (split && file_split != *split) continue;
      files_.push_back({folder.files[i], file_split});
    }
    return Status::Ok();
  }

  void ReadAll() {
    Status status;
    for (const File& file : files_) {
      report::DatasetVisitor visitor;
      visitor.on_example = [&](const Example& example, uint64_t line) -> Status {
        pending_.push_back(ExampleJson(example, line, file.path, file.split));
        if (pending_.size() >= kBatchSize) return Hand();
        return Status::Ok();
      };
      visitor.on_unreadable = [&](uint64_t line, const std::string& message) -> Status {
        return InvalidArgumentError(file.path + ":" + std::to_string(line) + ": " + message);
      };
      status = report::ReadDataset(file.path, forced_, visitor);
      if (!status.ok()) break;
    }
    if (status.ok()) status = Hand();
    std::lock_guard lock(mutex_);
    if (status.code() != StatusCode::kCancelled || !stopped_) status_ = status;
    done_ = true;
    filled_.notify_all();
  }

  // Hands the pending examples over, waiting for room; Cancelled once the reader is dropped.
  Status Hand() {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return batches_.size() < kMaxBatches || stopped_; });
    if (stopped_) return CancelledError("the reader was closed");
    if (!pending_.empty()) batches_.push_back(std::move(pending_));
    pending_.clear();
    filled_.notify_all();
    return Status::Ok();
  }

  const format::Format* forced_ = nullptr;
  std::vector<File> files_;
  std::vector<std::string> pending_;  ///< the reader thread's batch being filled
  std::mutex mutex_;
  std::condition_variable filled_;
  std::condition_variable space_;
  std::deque<std::vector<std::string>> batches_;
  bool done_ = false;
  bool stopped_ = false;
  Status status_;
  std::thread reader_;
};

}  // namespace

void RegisterRead(py::module_& module) {
  using namespace pybind11::literals;
  py::class_<DatasetReader>(module, "DatasetReader", "Batches of example JSON texts (use tunepack.read).")
      .def(py::init<const std::string&, const std::optional<std::string>&, const std::optional<std::string>&>(),
           "path"_a, "format"_a = py::none(), "split"_a = py::none())
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &DatasetReader::Next);
}

}  // namespace tunepack::python
