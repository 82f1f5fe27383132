#include "tunepack/pipeline/export.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/export_report.h"
#include "pipeline/output_set.h"
#include "pipeline/run_state.h"
#include "pipeline/event_publisher.h"
#include "pipeline/source_reader.h"
#include "pipeline/unit_processor.h"
#include "pipeline/work.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/chunk/chunker.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/tokenize/tokenizer.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// WorkQueues: tasks to the workers, results back to the writer, with a bound on the tasks
// in flight so memory stays constant however large the input.
class WorkQueues {
 public:
  explicit WorkQueues(size_t max_in_flight) : max_in_flight_(max_in_flight) {}

  // Blocks while too many tasks are in flight; returns false once stopped.
  bool Submit(Task task) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return stopped_ || in_flight_ < max_in_flight_; });
    if (stopped_) return false;
    ++in_flight_;
    tasks_.push_back(std::move(task));
    task_ready_.notify_one();
    return true;
  }
  // Marks the end of the tasks; `total` is how many were numbered in all.
  void Finish(uint64_t total) {
    std::lock_guard lock(mutex_);
    producer_done_ = true;
    total_tasks_ = total;
    task_ready_.notify_all();
    result_ready_.notify_all();
  }
  // Stops everything (a fatal error).
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    space_.notify_all();
    task_ready_.notify_all();
    result_ready_.notify_all();
  }
  std::optional<Task> NextTask() {
    std::unique_lock lock(mutex_);
    task_ready_.wait(lock, [&] { return stopped_ || producer_done_ || !tasks_.empty(); });
    if (stopped_ || tasks_.empty()) return std::nullopt;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }
  void PutResult(TaskResult result) {
    std::lock_guard lock(mutex_);
    results_.emplace(result.seq, std::move(result));
    result_ready_.notify_all();
  }
  // Returns the result numbered `seq` once it is ready, or nullopt when there is none
  // (all tasks done, or stopped).
  std::optional<TaskResult> TakeResult(uint64_t seq) {
    std::unique_lock lock(mutex_);
    result_ready_.wait(lock, [&] {
      return stopped_ || results_.count(seq) || (producer_done_ && seq >= total_tasks_);
    });
    auto it = results_.find(seq);
    if (stopped_ || it == results_.end()) return std::nullopt;
    TaskResult result = std::move(it->second);
    results_.erase(it);
    --in_flight_;
    space_.notify_one();
    return result;
  }

 private:
  std::mutex mutex_;
  std::condition_variable space_, task_ready_, result_ready_;
  std::deque<Task> tasks_;
  std::map<uint64_t, TaskResult> results_;
  size_t max_in_flight_;
  size_t in_flight_ = 0;
  bool producer_done_ = false;
  bool stopped_ = false;
  uint64_t total_tasks_ = 0;
};

std::string RejectionLine(const Rejection& r) {
  std::string line;
  JsonObjectWriter object(line);
  object.String("source", r.origin.source);
  object.Int("record", static_cast<int64_t>(r.origin.record));
  object.Int("line", static_cast<int64_t>(r.origin.line));
  object.Int("column", static_cast<int64_t>(r.column));
  object.String("reason", r.reason);
  object.String("detail", r.detail);
  object.Close();
  line.push_back('\n');
  return line;
}

std::string RejectionText(const Rejection& r) {
  std::string where = r.origin.source;
  if (r.origin.line) where += ":" + std::to_string(r.origin.line);
  if (r.origin.line && r.column) where += ":" + std::to_string(r.column);
  if (!r.origin.line && r.origin.record) where += ": record " + std::to_string(r.origin.record);
  return where + ": " + r.reason + ": " + r.detail;
}

Result<Hash128> HashFile(const std::string& path) {
  TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
  StreamingHasher hasher;
  std::string buffer(1 << 20, '\0');
  while (true) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(buffer.data(), buffer.size()));
    if (n == 0) break;
    hasher.Update(std::string_view(buffer.data(), n));
  }
  return hasher.Digest();
}

// Prepares the output folder: decides between a fresh start, a resume and a refusal.
Result<std::optional<RunState>> PrepareOutputDir(const ExportOptions& options,
                                                 const std::string& options_json) {
  const fs::path dir(options.output_dir);
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return InvalidArgumentError(options.output_dir + ": cannot create: " + error.message());
  const fs::path checkpoint = dir / kCheckpointFile;
  const fs::path manifest = dir / kManifestFile;
  if (fs::exists(checkpoint) && !options.overwrite) {
    if (!options.resume) {
      return FailedPreconditionError(options.output_dir +
                                     " holds an interrupted export: pass --resume to continue "
                                     "it or --overwrite to start again");
    }
    TP_ASSIGN_OR_RETURN(std::string json, io::ReadWholeFile(checkpoint.string()));
    TP_ASSIGN_OR_RETURN(RunState state, ParseCheckpoint(json, options_json));
    return std::optional<RunState>(std::move(state));
  }
  if (fs::exists(manifest)) {
    if (!options.overwrite && !options.resume) {
      return FailedPreconditionError(options.output_dir +
                                     " already holds an export (manifest.json): pass "
                                     "--overwrite to replace it");
    }
    // --resume of a finished export starts again too: the result is the same bytes.
    TP_ASSIGN_OR_RETURN(std::string json, io::ReadWholeFile(manifest.string()));
    Result<std::vector<std::string>> old_outputs = ManifestOutputPaths(json);
    if (old_outputs.has_value()) {
      for (const std::string& path : *old_outputs) fs::remove(dir / path, error);
    }
  }
  fs::remove(manifest, error);
  fs::remove(checkpoint, error);
  return std::optional<RunState>();
}

// Removes data files a killed run created after its last checkpoint (later shards).
void RemoveFilesAfterCheckpoint(const ExportOptions& options, const RunState& state,
                                const format::Format& format) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(options.output_dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < format.extension.size() ||
        name.compare(name.size() - format.extension.size(), std::string::npos, format.extension) != 0) {
      continue;
    }
    const bool known = std::any_of(state.files.begin(), state.files.end(),
                                   [&](const OutputFileSummary& f) { return f.path == name; });
    if (known) continue;
    for (const SplitSpec& split : options.splits) {
      if (name.rfind(split.name + "-", 0) == 0) fs::remove(entry.path(), error);
    }
  }
}

// Runs the dedupers on a written outcome, in input order. Returns the rejection when it
// duplicates an earlier example.
std::optional<Rejection> CheckDuplicate(const UnitOutcome& outcome, uint64_t id,
                                        dedup::ExactDeduper* exact, dedup::NearDeduper* near,
                                        const std::vector<SourceFile>& sources) {
  auto describe = [&](uint64_t kept) {
    const size_t source = static_cast<size_t>(kept >> 40);
    const uint64_t record = kept & ((uint64_t{1} << 40) - 1);
    return (source < sources.size() ? sources[source].path : std::string("?")) + " record " +
           std::to_string(record);
  };
  if (exact) {
    const dedup::Verdict verdict = exact->Insert(outcome.exact_key, id);
    if (verdict.duplicate) {
      return Rejection{{}, 0, "duplicate", "exact duplicate of " + describe(verdict.kept_id)};
    }
  }
  if (near) {
    const dedup::Verdict verdict = near->Insert(outcome.signature, id);
    if (verdict.duplicate) {
      char similarity[32];
      std::snprintf(similarity, sizeof similarity, "%.2f", verdict.similarity);
      return Rejection{{}, 0, "near_duplicate",
                       std::string("near-duplicate (Jaccard ") + similarity + ") of " +
                           describe(verdict.kept_id)};
    }
  }
  return std::nullopt;
}

// --pack: packs each split's data files into <split>.packed.jsonl, after they are complete.
Result<std::vector<PackedOutput>> PackSplits(const ExportOptions& options,
                                             std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                             const std::vector<OutputFileSummary>& files) {
  PackOptions pack;
  pack.tokenizer = std::move(tokenizer);
  pack.seq_len = options.pack_seq_len;
  std::vector<PackedOutput> packed;
  for (const SplitSpec& split : options.splits) {
    std::vector<std::string> inputs;
    for (const OutputFileSummary& file : files) {
      if (file.split == split.name) inputs.push_back(options.output_dir + "/" + file.path);
    }
    PackedOutput out;
    out.path = split.name + ".packed.jsonl";
    out.split = split.name;
    TP_ASSIGN_OR_RETURN(out.summary, PackJsonlFiles(inputs, pack, options.output_dir + "/" + out.path));
    TP_ASSIGN_OR_RETURN(out.hash, HashFile(options.output_dir + "/" + out.path));
    packed.push_back(std::move(out));
  }
  return packed;
}

}  // namespace

// The export proper; RunExport adds the final run_finished event for every outcome.
Result<ExportSummary> RunExportStream(const ExportOptions& options, EventPublisher& events,
                                      const CancelToken* cancel) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<const format::Format> bound_format,
                      format::BindFormat(options.output_format, options.format_params));
  const format::Format* output_format = bound_format.get();
  if (options.output_dir.empty()) return InvalidArgumentError("no output folder: pass -o DIR");
  if (options.inputs.empty()) return InvalidArgumentError("no inputs: pass files, folders or -");
  TP_ASSIGN_OR_RETURN(std::vector<SourceFile> sources,
                      ExpandInputs(options.inputs, options.include_globs, options.exclude_globs));
  if (options.resume &&
      std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.path == "-"; })) {
    return InvalidArgumentError("--resume cannot replay standard input; export from files");
  }
  // Deduplication: workers compute keys and signatures, the writer decides in input order.
  std::unique_ptr<dedup::ExactDeduper> exact;
  std::unique_ptr<dedup::NearDeduper> near;
  if (options.dedup == DedupMode::kExact || options.dedup == DedupMode::kBoth) {
    exact = std::make_unique<dedup::ExactDeduper>();
  }
  if (options.dedup == DedupMode::kNear || options.dedup == DedupMode::kBoth) {
    TP_ASSIGN_OR_RETURN(dedup::NearDeduper created, dedup::NearDeduper::Create(options.near_dedup));
    near = std::make_unique<dedup::NearDeduper>(std::move(created));
  }
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;
  if (!options.tokenizer.empty()) {
    TP_ASSIGN_OR_RETURN(tokenizer, tokenize::LoadTokenizer(options.tokenizer));
  }
  std::unique_ptr<chunk::Chunker> chunker;
  if (options.chunk) {
    TP_ASSIGN_OR_RETURN(chunk::Chunker created, chunk::Chunker::Create(tokenizer, options.chunk_options));
    chunker = std::make_unique<chunk::Chunker>(std::move(created));
  }
  TP_ASSIGN_OR_RETURN(const ExampleSteps steps, ExampleSteps::Create(options.steps));
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ExampleLimit> limit, ExampleLimit::Create(options, tokenizer));
  const SharedStages stages{exact.get(), near.get(), chunker.get(), steps.empty() ? nullptr : &steps,
                            limit.get()};
  TP_ASSIGN_OR_RETURN(const std::string options_json, CanonicalOptionsJson(options));
  TP_ASSIGN_OR_RETURN(std::optional<RunState> resumed, PrepareOutputDir(options, options_json));

  RunState state = resumed.value_or(RunState{});
  state.sources.resize(sources.size());
  if (resumed) RemoveFilesAfterCheckpoint(options, state, *output_format);

  OutputSet outputs(options.output_dir, options.splits, *output_format, options.max_records_per_file);
  TP_RETURN_IF_ERROR(outputs.Open(resumed ? &state.files : nullptr));
  TP_ASSIGN_OR_RETURN(auto rejected_file,
                      io::AppendFile::Open(options.output_dir + "/" + kRejectedFile,
                                           resumed ? static_cast<int64_t>(state.rejected_file_bytes) : -1));

  uint64_t bytes_total = 0;
  for (const SourceFile& s : sources) bytes_total += s.size;
  {
    events.SetProgress({state.inputs, state.written, state.rejected, 0, bytes_total, 0});
    Event started;
    started.kind = EventKind::kRunStarted;
    started.files = sources.size();
    events.Publish(started);
  }

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t jobs = options.jobs > 0 ? static_cast<size_t>(options.jobs) : cores;
  WorkQueues queues(2 * jobs + 2);

  std::vector<std::thread> workers;
  for (size_t i = 0; i < jobs; ++i) {
    workers.emplace_back([&] {
      UnitProcessor processor(options, *output_format, stages);
      while (std::optional<Task> task = queues.NextTask()) queues.PutResult(processor.Process(*task));
    });
  }

  // The writer: applies results in task order, so output never depends on thread timing.
  Status writer_status;
  const auto started = Clock::now();
  std::thread writer([&] {
    ProgressSnapshot snapshot{state.inputs, state.written, state.rejected, 0, bytes_total, 0};
    auto last_checkpoint = Clock::now();
    bool unit_written = false;
    auto fail = [&](Status status) {
      writer_status = std::move(status);
      queues.Stop();
    };
    // With dedup on, a resumed run replays the batches written before the interruption
    // through the dedupers (and nothing else), so their state is what it was.
    const uint64_t first_seq = (exact || near) ? 0 : state.tasks_done;
    // An input is finished when the first task of a later one arrives (tasks come in input
    // order), or when the stream ends.
    std::optional<size_t> open_input;
    auto finish_input = [&] {
      if (!open_input) return;
      Event finished;
      finished.kind = EventKind::kInputFinished;
      finished.input_index = *open_input;
      finished.path = sources[*open_input].path;
      events.Publish(finished);
      open_input.reset();
    };
    for (uint64_t seq = first_seq;; ++seq) {
      std::optional<TaskResult> result = queues.TakeResult(seq);
      if (!result) break;
      if (!result->replay && open_input != result->source_index) {
        finish_input();
        open_input = result->source_index;
      }
      SourceCounts& counts = state.sources[result->source_index];
      for (UnitOutcome& outcome : result->outcomes) {
        if (outcome.written && (exact || near)) {
          const uint64_t id = (static_cast<uint64_t>(result->source_index) << 40) | outcome.origin.record;
          std::optional<Rejection> duplicate = CheckDuplicate(outcome, id, exact.get(), near.get(), sources);
          if (duplicate) {
            outcome.written = false;
            outcome.rejection = std::move(*duplicate);
            outcome.rejection.origin = outcome.origin;
          }
        }
        if (result->replay) continue;
        // Units are counted when they close: written when any of their examples was.
        if (!outcome.continues_unit) unit_written = false;
        state.invalid_utf8 += outcome.invalid_utf8;
        for (size_t kind = 0; kind < quality::kPiiKinds; ++kind) {
          if (outcome.pii.by_kind[kind] == 0) continue;
          state.pii_redacted[std::string(quality::PiiKindName(static_cast<quality::PiiKind>(kind)))] +=
              outcome.pii.by_kind[kind];
        }
        if (outcome.written) {
          unit_written = true;
          ++state.examples_written;
          if (outcome.truncated) ++state.examples_truncated;
          Status s = outputs.Write(outcome.split,
                                   std::string_view(result->data).substr(outcome.begin, outcome.size));
          if (!s.ok()) return fail(s);
          Event written;
          written.kind = EventKind::kRecordWritten;
          written.input_index = result->source_index;
          written.path = sources[result->source_index].path;
          written.record = outcome.origin.record;
          written.split = options.splits[outcome.split].name;
          events.Publish(written);
        } else {
          ++state.examples_rejected;
          ++state.rejected_by_reason[outcome.rejection.reason];
        }
        if (outcome.closes_unit) {
          ++state.inputs;
          ++counts.units;
          ++(unit_written ? state.written : state.rejected);
          ++(unit_written ? counts.written : counts.rejected);
        }
        if (outcome.written) continue;
        if (state.first_rejection.empty()) state.first_rejection = RejectionText(outcome.rejection);
        Status s = rejected_file->Write(RejectionLine(outcome.rejection));
        if (!s.ok()) return fail(s);
        Event rejected;
        rejected.kind = EventKind::kRecordRejected;
        rejected.input_index = result->source_index;
        rejected.path = sources[result->source_index].path;
        rejected.record = outcome.rejection.origin.record;
        rejected.reason = outcome.rejection.reason;
        rejected.detail = outcome.rejection.detail;
        events.Publish(rejected);
        if (options.strict) {
          return fail(CancelledError("--strict: " + RejectionText(outcome.rejection)));
        }
      }
      if (result->replay) continue;
      state.tasks_done = seq + 1;
      snapshot = {state.inputs, state.written, state.rejected,
                  snapshot.bytes_done + result->input_bytes, bytes_total,
                  std::chrono::duration<double>(Clock::now() - started).count()};
      events.Progress(snapshot);
      const auto now = Clock::now();
      if (now - last_checkpoint >= std::chrono::milliseconds(options.checkpoint_interval_ms)) {
        last_checkpoint = now;
        Status s = outputs.Flush();
        if (s.ok()) s = rejected_file->Flush();
        state.files = outputs.Files();
        state.rejected_file_bytes = rejected_file->size();
        if (s.ok()) s = io::WriteFileAtomic(options.output_dir + "/" + kCheckpointFile,
                                            CheckpointJson(state, options_json));
        if (!s.ok()) return fail(s);
      }
    }
    finish_input();
  });

  // The reader: this thread walks the inputs and numbers the tasks.
  SourceReader reader(options, events);
  uint64_t seq = 0;
  std::vector<SourceInfo> infos;
  for (size_t index = 0; index < sources.size(); ++index) {
    bool keep_going = true;
    SourceInfo info = reader.Read(index, sources[index], [&](Task task) {
      // A cancelled run numbers no more tasks: the writer waits for every number it was
      // told about (queues.Finish(seq)), so a number without a task would hang it.
      if (cancel && cancel->cancelled()) {
        keep_going = false;
        return false;
      }
      task.seq = seq++;
      if (task.seq < state.tasks_done) {  // written before the interruption
        if (!exact && !near) return true;
        task.replay = true;
      }
      keep_going = queues.Submit(std::move(task));
      return keep_going;
    });
    infos.push_back(std::move(info));
    if (!keep_going) break;
  }
  queues.Finish(seq);
  writer.join();
  queues.Stop();
  for (std::thread& worker : workers) worker.join();
  TP_RETURN_IF_ERROR(writer_status);
  if (cancel && cancel->cancelled()) {
    // What was written is covered by a checkpoint, so --resume continues from here.
    TP_RETURN_IF_ERROR(outputs.Flush());
    TP_RETURN_IF_ERROR(rejected_file->Flush());
    state.files = outputs.Files();
    state.rejected_file_bytes = rejected_file->size();
    TP_RETURN_IF_ERROR(io::WriteFileAtomic(options.output_dir + "/" + kCheckpointFile,
                                           CheckpointJson(state, options_json)));
    return CancelledError("the export was cancelled; resume continues it");
  }

  TP_RETURN_IF_ERROR(outputs.Close());
  TP_RETURN_IF_ERROR(rejected_file->Close());
  state.files = outputs.Files();
  state.rejected_file_bytes = rejected_file->size();

  ManifestData manifest;
  auto stage = [&](std::string_view name) {
    Event event;
    event.kind = EventKind::kStage;
    event.stage = name;
    events.Publish(event);
  };
  if (options.pack_seq_len > 0) {
    stage("pack");
    TP_ASSIGN_OR_RETURN(manifest.packed, PackSplits(options, tokenizer, state.files));
  }
  manifest.options_json = options_json;
  manifest.sources = std::move(infos);
  manifest.warnings = reader.warnings();
  if (near) manifest.near_dedup_lsh = near->lsh().ToString();
  for (const OutputFileSummary& file : state.files) {
    TP_ASSIGN_OR_RETURN(Hash128 hash, HashFile(options.output_dir + "/" + file.path));
    manifest.outputs.emplace_back(file, hash);
  }
  TP_ASSIGN_OR_RETURN(manifest.rejected_hash, HashFile(options.output_dir + "/" + kRejectedFile));
  // stats.json and report.html come before the manifest, whose presence marks a finished
  // export: a run killed in between is resumed and writes them again.
  const std::string manifest_json = ManifestJson(state, manifest);
  stage("report");
  TP_RETURN_IF_ERROR(WriteExportReport(options, *output_format, tokenizer, state.files, manifest_json));
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(options.output_dir + "/" + kManifestFile, manifest_json));
  std::error_code ignored;
  fs::remove(fs::path(options.output_dir) / kCheckpointFile, ignored);

  events.SetProgress({state.inputs, state.written, state.rejected, bytes_total, bytes_total,
                      std::chrono::duration<double>(Clock::now() - started).count()});
  ExportSummary summary;
  summary.inputs = state.inputs;
  summary.written = state.written;
  summary.rejected = state.rejected;
  summary.examples_written = state.examples_written;
  summary.examples_truncated = state.examples_truncated;
  summary.rejected_by_reason = state.rejected_by_reason;
  summary.pii_redacted = state.pii_redacted;
  for (const PackedOutput& packed : manifest.packed) summary.packed.emplace_back(packed.path, packed.summary);
  summary.outputs = state.files;
  summary.first_rejection = state.first_rejection;
  summary.near_dedup_lsh = manifest.near_dedup_lsh;
  return summary;
}

Result<ExportSummary> RunExport(const ExportOptions& options, EventSubscriber& subscriber,
                                const CancelToken* cancel) {
  EventPublisher events(subscriber);
  Result<ExportSummary> summary = [&]() -> Result<ExportSummary> {
    // No exception may leave the library: whatever escapes a stage ends the run with a message.
    try {
      return RunExportStream(options, events, cancel);
    } catch (const std::exception& e) {
      return InternalError(std::string("unexpected failure: ") + e.what());
    }
  }();
  Event finished;
  finished.kind = EventKind::kRunFinished;
  if (!summary.has_value()) {
    finished.status = summary.error().code();
    finished.message = summary.error().message();
  }
  events.Publish(finished);
  return summary;
}

}  // namespace tunepack::pipeline
