#include "tunepack/pipeline/export.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include "pipeline/buffer_pool.h"
#include "pipeline/byte_range.h"
#include "pipeline/export_report.h"
#include "pipeline/export_stats.h"
#include "pipeline/file_hash.h"
#include "pipeline/output_folder.h"
#include "pipeline/split_stages.h"
#include "pipeline/target_outputs.h"
#include "pipeline/output_set.h"
#include "pipeline/dedup_stage.h"
#include "pipeline/part_marker.h"
#include "pipeline/part_set.h"
#include "pipeline/result_writer.h"
#include "pipeline/resume_check.h"
#include "pipeline/run_state.h"
#include "pipeline/event_publisher.h"
#include "pipeline/source_reader.h"
#include "pipeline/unit_processor.h"
#include "pipeline/work.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/chunk/chunker.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/tokenize/tokenizer.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/format/format.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/file_steps.h"
#include "tunepack/io/path_text.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// WorkQueues: tasks to the workers, and their results to whichever worker writes them in
// task order, with a bound on the tasks in flight so memory stays constant however large
// the input. There is no writer thread: the worker that hands in the next result in order
// writes it (and every later one that is ready) while no other worker is writing, so one
// thread at a time applies the results, in order, and no thread sleeps waiting for one.
// (A writer thread of its own slept and was woken for most of the 256 results of a 256 MB
// export, and a thread woken on an idle virtual core of the project's machine waits about
// 0.1 ms before it runs: BENCHMARKS.md, Export pipeline.)
class WorkQueues {
 public:
  // `first_write`: the number of the first result to write. The one submitter, when it finds
  // `max_in_flight` tasks in flight, waits until `refill` of them are written, then submits
  // that many in a row: one wake-up for `refill` tasks instead of one each.
  WorkQueues(size_t max_in_flight, size_t refill, uint64_t first_write)
      : max_in_flight_(max_in_flight), resume_at_(max_in_flight - std::min(refill, max_in_flight)),
        next_write_(first_write) {}

  // Blocks while too many tasks are in flight; returns false once stopped.
  bool Submit(Task task) {
    std::unique_lock lock(mutex_);
    if (in_flight_ >= max_in_flight_) {
      submitter_waits_ = true;
      space_.wait(lock, [&] { return stopped_ || in_flight_ <= resume_at_; });
      submitter_waits_ = false;
    }
    if (stopped_) return false;
    ++in_flight_;
    tasks_.push_back(std::move(task));
    task_ready_.notify_one();
    return true;
  }
  // Marks the end of the tasks.
  void Finish() {
    std::lock_guard lock(mutex_);
    producer_done_ = true;
    task_ready_.notify_all();
  }
  // Stops everything (a fatal error): no task is handed out, no result written.
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    space_.notify_all();
    task_ready_.notify_all();
  }
  std::optional<Task> NextTask() {
    std::unique_lock lock(mutex_);
    task_ready_.wait(lock, [&] { return stopped_ || producer_done_ || !tasks_.empty(); });
    if (stopped_ || tasks_.empty()) return std::nullopt;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }
  // Hands in a finished task's result. Returns the result the calling thread is to write
  // now (the next in order, when no other thread is writing), or nullopt.
  std::optional<TaskResult> PutResult(TaskResult result) {
    std::lock_guard lock(mutex_);
    results_.emplace(result.seq, std::move(result));
    if (writing_) return std::nullopt;
    return ClaimNextToWrite();
  }
  // Called by the writing thread when it has written a result: returns the next one when it
  // is ready (the thread writes on), or nullopt (the thread writes no more for now).
  std::optional<TaskResult> NextToWrite() {
    std::lock_guard lock(mutex_);
    writing_ = false;
    return ClaimNextToWrite();
  }

 private:
  std::optional<TaskResult> ClaimNextToWrite() {
    if (stopped_ || results_.empty() || results_.begin()->first != next_write_) return std::nullopt;
    TaskResult result = std::move(results_.begin()->second);
    results_.erase(results_.begin());
    ++next_write_;
    --in_flight_;
    writing_ = true;
    if (submitter_waits_ && in_flight_ <= resume_at_) space_.notify_one();
    return result;
  }

  std::mutex mutex_;
  std::condition_variable space_, task_ready_;
  std::deque<Task> tasks_;
  std::map<uint64_t, TaskResult> results_;
  size_t max_in_flight_;
  size_t resume_at_;
  size_t in_flight_ = 0;
  bool submitter_waits_ = false;
  uint64_t next_write_;
  bool writing_ = false;
  bool producer_done_ = false;
  bool stopped_ = false;
};

// Removes data files a killed run created after its last checkpoint (later shards).
void RemoveFilesAfterCheckpoint(const ExportOptions& options, const std::string& staging,
                                const RunState& state, const format::Format& format) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(staging, error)) {
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

// Returns the result of a task whose processing threw: each of its units rejected with the
// error, so the run goes on and the ledger says what happened.
TaskResult FailedTaskResult(const Task& task, const std::string& what) {
  TaskResult result;
  result.seq = task.seq;
  result.replay = task.replay;
  result.source_index = task.source ? task.source->index : 0;
  result.input_bytes = task.input_bytes;
  result.prefix_bytes = task.prefix_bytes;
  result.prefix_hash = task.prefix_hash;
  const std::string path = task.source ? task.source->path : std::string("?");
  auto reject = [&](Origin origin) {
    UnitOutcome outcome;
    outcome.origin = origin;
    outcome.rejection = Rejection{origin, 0, RejectReason::kInternalError, "unexpected error: " + what};
    result.outcomes.push_back(std::move(outcome));
  };
  if (task.kind == Task::Kind::kRecords && !task.batch.records.empty()) {
    for (size_t i = 0; i < task.batch.records.size(); ++i) {
      reject(Origin{path, task.first_record + i, task.batch.records[i].line});
    }
  } else {
    reject(Origin{path, 0, 0});
  }
  return result;
}

// Names the calling thread as `perf report --sort comm`, top -H and /proc/PID/task show it
// (the reader is the main thread and keeps the process's name).
void NameThisThread(const char* name) { pthread_setname_np(pthread_self(), name); }

std::string ExceptionText(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}


// Returns the files of `sources` that `slice` touches, with the byte range of each it reads.
std::pair<std::vector<SourceFile>, std::vector<ByteRange>> SliceInputs(std::vector<SourceFile> sources,
                                                                       const ShardSlice& slice) {
  std::vector<SourceFile> files;
  std::vector<ByteRange> ranges;
  if (slice.empty()) return {files, ranges};
  const uint64_t last = slice.end.offset > 0 ? slice.end.input + 1 : slice.end.input;
  for (uint64_t i = slice.begin.input; i < last; ++i) {
    ByteRange range;
    if (i == slice.begin.input) range.begin = slice.begin.offset;
    if (i == slice.end.input) range.end = slice.end.offset;
    files.push_back(std::move(sources[i]));
    ranges.push_back(range);
  }
  return {files, ranges};
}

// --shard: a part folder whose marker says it was written under these options is complete
// (true: nothing to do); one of other options is refused unless --overwrite, which first
// removes the marker so that a run killed while overwriting leaves no stale "done".
Result<bool> CheckEarlierPart(const std::string& dir, const std::string& options_json, bool overwrite) {
  TP_ASSIGN_OR_RETURN(std::optional<PartMarker> marker, ReadPartMarker(dir));
  if (!marker) return false;
  if (marker->options_json == options_json && !overwrite) return true;
  if (!overwrite) {
    return FailedPreconditionError(io::DisplayPath(dir) + " holds a complete part of another sharded export (" +
                                   marker->shard.ToString() + ", other options or rank); pass " + OptionRef("overwrite") +
                                   " to replace it");
  }
  std::error_code error;
  fs::remove(dir + "/" + kPartMarkerFile, error);
  if (error) return Status(StatusCode::kUnknown, dir + "/" + kPartMarkerFile + ": cannot remove: " + error.message());
  return false;
}

}  // namespace

// The export proper; RunExport adds the final run_finished event for every outcome.
Result<ExportSummary> RunExportStream(const ExportOptions& options, EventPublisher& events,
                                      const CancelToken* cancel) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<const format::Format> bound_format,
                      format::BindFormat(options.output_format, options.format_params));
  const format::Format* output_format = bound_format.get();
  if (options.output_dir.empty()) return InvalidArgumentError("no output folder: pass -o DIR");
  if (options.layout == OutputLayout::kHf && output_format->extension != ".jsonl") {
    return InvalidArgumentError(OptionRef("layout") + " hf stores records as Parquet rows: it needs a JSON Lines "
                                "format, not " + output_format->name + " (writes " + output_format->extension + ")");
  }
  TP_RETURN_IF_ERROR(CheckTargetLayout(options));
  if (options.inputs.empty()) return InvalidArgumentError("no inputs: pass files, folders or -");
  TP_RETURN_IF_ERROR(ValidateSplitNames(options.splits));
  // The inputs are listed before the output folder is created, so a missing input leaves
  // nothing behind; a walk leaves out the output folder when it already exists.
  InputWalkOptions walk;
  walk.include_globs = options.include_globs;
  walk.exclude_globs = options.exclude_globs;
  walk.follow_links = options.follow_links;
  walk.skip_dir = io::RealPath(options.output_dir).value_or(std::string());
  TP_ASSIGN_OR_RETURN(ExpandedInputs expanded, ExpandInputs(options.inputs, walk));
  std::vector<SourceFile>& sources = expanded.files;
  // --shard I/N: this rank takes its slice of the list every rank walked alike: whole
  // files, and byte ranges of the JSON Lines files its boundaries fall in.
  std::optional<PartMarker> part;
  std::vector<ByteRange> ranges(sources.size());
  if (options.shard.enabled()) {
    part.emplace();
    part->shard = options.shard;
    part->listing_hash = InputListingHash(sources);
    part->sources_total = sources.size();
    part->walk_warnings = expanded.warnings.size();
    std::vector<uint64_t> sizes;
    for (const SourceFile& source : sources) sizes.push_back(source.size);
    part->slice = ShardSliceOf(sizes, options.shard, [&](size_t i) { return CanCutRecordFile(sources[i]); });
    std::tie(sources, ranges) = SliceInputs(std::move(sources), part->slice);
  }
  TP_ASSIGN_OR_RETURN(OutputFolder folder, OutputFolder::Open(options.output_dir));
  TP_RETURN_IF_ERROR(folder.CheckInputsOutside(options.inputs, sources));
  if (options.resume &&
      std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.path == "-"; })) {
    return InvalidArgumentError(OptionRef("resume") + " cannot replay standard input; export from files");
  }
  // Deduplication: workers compute keys and signatures, the writer decides in input order.
  TP_ASSIGN_OR_RETURN(Dedupers dedupers, CreateDedupers(options));
  std::unique_ptr<dedup::ExactDeduper>& exact = dedupers.exact;
  std::unique_ptr<dedup::NearDeduper>& near = dedupers.near;
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
  // A sharded dedup (dedup_stage.h): without a plan, the rank computes the keys and
  // signatures and writes them (stage 1); with one, it takes the plan's verdicts (stage 3).
  // Either way its writer decides nothing by itself.
  const bool signature_stage = part && (exact || near) && options.dedup_plan.empty();
  const bool plan_stage = part && !options.dedup_plan.empty();
  const SharedStages stages{plan_stage ? nullptr : exact.get(), plan_stage ? nullptr : near.get(), chunker.get(),
                            steps.empty() ? nullptr : &steps, limit.get()};
  // Paths given on the command line need not be UTF-8; the options JSON (manifest,
  // checkpoint) must be.
  TP_ASSIGN_OR_RETURN(const std::string canonical_options, CanonicalOptionsJson(options));
  const std::string options_json = io::JsonTextWithSafeUtf8(canonical_options);
  if (part) {
    TP_ASSIGN_OR_RETURN(const bool complete, CheckEarlierPart(folder.dir(), options_json, options.overwrite));
    if (complete) {
      ExportSummary done;
      done.part_already_complete = true;
      return done;
    }
  }
  TP_ASSIGN_OR_RETURN(std::optional<RunState> resumed, folder.Prepare(options.resume, options.overwrite, options_json));
  std::jthread earlier_pages = folder.ReleaseEarlierExportPages();
  if (resumed) TP_RETURN_IF_ERROR(VerifyResumedInputs(*resumed, sources));
  const std::string staging = folder.staging();
  std::optional<DedupPlan> plan;
  if (plan_stage) {
    TP_ASSIGN_OR_RETURN(plan, DedupPlan::Load(options.dedup_plan, options.shard.index,
                                              UnshardedOptionsJson(options_json), part->listing_hash.Hex()));
  }
  std::unique_ptr<SignatureWriter> signatures;
  if (signature_stage) {
    TP_ASSIGN_OR_RETURN(signatures,
                        SignatureWriter::Open(staging + "/" + kSignatureFile,
                                              resumed ? static_cast<int64_t>(resumed->signatures_bytes) : -1));
  }

  RunState state = resumed.value_or(RunState{});
  state.sources.resize(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    state.sources[i].path = sources[i].name;
    state.sources[i].size = sources[i].size;
    state.sources[i].mtime_ns = sources[i].mtime_ns;
  }
  if (resumed) RemoveFilesAfterCheckpoint(options, staging, state, *output_format);

  OutputSet outputs(staging, options.splits, *output_format, options.max_records_per_file);
  TP_RETURN_IF_ERROR(outputs.Open(resumed ? &state.files : nullptr));
  // stats.json and report.html: measured while writing (a part's figures would be the
  // slice's: the merge writes the report). A resumed run first counts what was written.
  std::optional<ExportStatsSpec> stats_spec;
  if (!part) stats_spec = MakeExportStatsSpec(options, *output_format, tokenizer);
  std::optional<ExportStats> export_stats;
  if (stats_spec) export_stats.emplace(*stats_spec, options.splits.size());
  // --layout hf measures its records in the pass that turns them into Parquet shards
  // (WriteHfLayout), where they are read once; the workers and the writer leave them.
  const bool measured_as_shards = options.layout == OutputLayout::kHf;
  ExportStats* writer_stats = export_stats && !measured_as_shards ? &*export_stats : nullptr;
  if (writer_stats && resumed) {
    TP_RETURN_IF_ERROR(writer_stats->AddWrittenFiles(staging, outputs.Files(), options.splits));
  }
  TP_ASSIGN_OR_RETURN(auto rejected_file,
                      io::AppendFile::Open(staging + "/" + kRejectedFile,
                                           resumed ? static_cast<int64_t>(state.rejected_file_bytes) : -1));

  uint64_t bytes_total = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    bytes_total += std::min(sources[i].size, ranges[i].end.value_or(sources[i].size)) -
                   std::min(sources[i].size, ranges[i].begin);
  }
  {
    events.SetProgress({state.inputs, state.written, state.rejected, 0, bytes_total, 0});
    Event started;
    started.kind = EventKind::kRunStarted;
    started.files = sources.size();
    events.Publish(started);
  }
  for (const std::string& warning : expanded.warnings) events.Warning(warning);

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t jobs = options.jobs > 0 ? static_cast<size_t>(options.jobs) : cores;
  // The writer applies results in task order, so output never depends on thread timing.
  const auto started = Clock::now();
  const bool writer_dedups = !signature_stage && !plan_stage;
  ResultWriter result_writer({&options, &sources, &state, &outputs, rejected_file.get(),
                              writer_dedups ? exact.get() : nullptr, writer_dedups ? near.get() : nullptr,
                              signatures.get(), plan ? &*plan : nullptr, &events,
                              writer_stats, staging + "/" + kCheckpointFile,
                              options_json, bytes_total});
  // Tasks written before an interruption go through the writer again when it must rebuild
  // its dedup state (or count the plan's candidates).
  const bool replay_written = (writer_dedups && (exact || near)) || plan_stage;

  const size_t max_in_flight = 4 * jobs + 2;
  WorkQueues queues(max_in_flight, jobs, result_writer.first_seq());
  // Four tasks in flight per worker and two more: a worker whose results wait for an
  // earlier one does not find the window full at once, and the reader refills it `jobs`
  // tasks at a time. Voluntary context switches of -j 2 on 256 MB of ShareGPT, each one a
  // sleep that a later wake-up ends: 513 with a writer thread and 2 * jobs + 2, 320 with the
  // writer folded into the workers, 270 with this window (means of 5 runs).
  // Batches are about a megabyte (source_reader.cc) and encode to about as much. A task in
  // flight holds two buffers (its batch, then its records), so the pool keeps as many as can
  // be in use at once: one it had to free would be allocated and faulted in again, page by
  // page, for a later task (12,100 -> 7,100 page faults at -j 2, 8,500 -> 5,100 at -j 1 on
  // 256 MB of ShareGPT), and none is kept that was not in use.
  BufferPool buffers(2 * max_in_flight + 2, size_t{4} << 20);
  // The writer gives each task's outcomes back to the workers (OutcomePool), up to 64 Ki a list.
  OutcomePool outcome_lists(max_in_flight + 2, size_t{64} << 10);

  // Written by the one thread writing at a time (WorkQueues), read once the workers joined.
  Status writer_status;
  auto write = [&](TaskResult& result) {
    try {
      writer_status = result_writer.Apply(result.seq, result);
    } catch (...) {
      writer_status = InternalError("unexpected error while writing (please report it): " +
                                    ExceptionText(std::current_exception()));
    }
    if (!writer_status.ok()) queues.Stop();
    buffers.Give(std::move(result.data));
    outcome_lists.Give(std::move(result.outcomes));
  };
  std::vector<std::thread> workers;
  for (size_t i = 0; i < jobs; ++i) {
    workers.emplace_back([&] {
      NameThisThread("tp-worker");
      UnitProcessor processor(options, *output_format, stages);
      if (writer_stats) processor.MeasureWith(*stats_spec);
      processor.RecycleBuffers(&buffers);
      processor.RecycleOutcomes(&outcome_lists);
      while (std::optional<Task> task = queues.NextTask()) {
        TaskResult result;
        try {
          result = processor.Process(*task);
        } catch (...) {
          result = FailedTaskResult(*task, ExceptionText(std::current_exception()));
        }
        buffers.Give(std::move(task->batch.buffer));
        for (std::optional<TaskResult> next = queues.PutResult(std::move(result)); next;
             next = queues.NextToWrite()) {
          write(*next);
        }
      }
    });
  }

  // The reader: this thread walks the inputs and numbers the tasks.
  SourceReader reader(options, events);
  reader.RecycleBuffers(&buffers);
  uint64_t seq = 0;
  std::vector<SourceInfo> infos;
  for (size_t index = 0; index < sources.size(); ++index) {
    bool keep_going = true;
    auto submit = [&](Task task) {
      // A cancelled run numbers no more tasks: the results are written in order, so a
      // number without a task would leave every later one unwritten.
      if (cancel && cancel->cancelled()) {
        keep_going = false;
        return false;
      }
      task.seq = seq++;
      if (task.seq < state.tasks_done) {  // written before the interruption
        if (!replay_written) return true;
        task.replay = true;
      }
      keep_going = queues.Submit(std::move(task));
      return keep_going;
    };
    SourceInfo info;
    try {
      info = reader.Read(index, sources[index], ranges[index], submit);
    } catch (...) {
      // A reader that throws (a bug) costs this input, not the export: one ledger line.
      info = SourceInfo{sources[index].name, {}, "unreadable", 0, HashBytes("")};
      auto state_of_source = std::make_shared<SourceState>();
      state_of_source->index = index;
      state_of_source->path = sources[index].name;
      Task task;
      task.kind = Task::Kind::kReject;
      task.rejection = Rejection{Origin{sources[index].name, 0, 0}, 0, RejectReason::kInternalError,
                                 "unexpected error while reading: " + ExceptionText(std::current_exception())};
      task.source = std::move(state_of_source);
      if (keep_going) submit(std::move(task));
    }
    infos.push_back(std::move(info));
    if (!keep_going) break;
  }
  queues.Finish();
  // Every result is written once the workers are done: the one that hands in a result while
  // another writes leaves it to that one, which looks for it before it stops writing.
  for (std::thread& worker : workers) worker.join();
  // The pools' memory (a megabyte or more a buffer, each one an munmap: 0.9 ms in all at
  // -j 2) is freed while this thread waits for the syncs and renames of the end.
  std::jthread free_pools([&] {
    buffers.Clear();
    outcome_lists.Clear();
  });
  try {
    result_writer.Finish();
  } catch (...) {
    if (writer_status.ok()) {
      writer_status = InternalError("unexpected error while writing (please report it): " +
                                    ExceptionText(std::current_exception()));
    }
  }
  TP_RETURN_IF_ERROR(writer_status);
  if (cancel && cancel->cancelled()) {
    // What was written is covered by a checkpoint, so --resume continues from here.
    TP_RETURN_IF_ERROR(result_writer.Checkpoint());
    return CancelledError("the export was cancelled; resume continues it");
  }

  TP_RETURN_IF_ERROR(outputs.Close());
  TP_RETURN_IF_ERROR(rejected_file->Close());
  if (signatures) TP_RETURN_IF_ERROR(signatures->Close());
  state.files = outputs.Files();
  state.rejected_file_bytes = rejected_file->size();

  ManifestData manifest;
  auto stage = [&](std::string_view name) {
    Event event;
    event.kind = EventKind::kStage;
    event.stage = name;
    events.Publish(event);
  };
  TP_ASSIGN_OR_RETURN(SplitStagesResult split_stages,
                      RunSplitStages(options, staging, tokenizer, options_json, *output_format, part.has_value(),
                                     export_stats ? &*export_stats : nullptr, state, manifest, stage));
  const std::vector<std::string>& target_warnings = split_stages.target_warnings;
  for (const std::string& warning : target_warnings) events.Warning(warning);
  manifest.options_json = options_json;
  manifest.sources = std::move(infos);
  manifest.warnings = expanded.warnings;
  manifest.warnings.insert(manifest.warnings.end(), reader.warnings().begin(), reader.warnings().end());
  manifest.warnings.insert(manifest.warnings.end(), target_warnings.begin(), target_warnings.end());
  if (near) manifest.near_dedup_lsh = near->lsh().ToString();
  for (const OutputFileSummary& file : state.files) {
    TP_ASSIGN_OR_RETURN(Hash128 hash, outputs.FileHash(file.path));
    manifest.outputs.emplace_back(file, hash);
  }
  TP_ASSIGN_OR_RETURN(manifest.rejected_hash, HashFile(staging + "/" + kRejectedFile));
  // stats.json and report.html come before the manifest, whose presence in the staging
  // folder marks a finished export: a run killed before is resumed and writes them again,
  // one killed after has only the renames left, which the next run finishes. The checkpoint
  // goes with the manifest, so no staging folder is taken for an interrupted run once its
  // manifest has left it (Publish). All three files are synced at once (io::WriteFileSteps):
  // one journal commit for their data instead of one each.
  const std::string manifest_json = ManifestJson(state, manifest);
  uint64_t texts_with_generation_prompt = 0;
  bool report_read_back = false;
  std::vector<io::FileStep> final_files;
  if (!part) {  // a part's figures would be the slice's: the merge writes the report
    stage("report");
    if (export_stats && export_stats->measured()) {
      TP_ASSIGN_OR_RETURN(report::DatasetStats stats, std::move(*export_stats).Finish(state.files, manifest_json));
      texts_with_generation_prompt = stats.texts_with_generation_prompt;
      final_files.push_back({ExportReportFiles(staging, std::move(stats), state.files), {}});
    } else {
      report_read_back = true;
      TP_RETURN_IF_ERROR(WriteExportReport(options, staging, *output_format, tokenizer, state.files, manifest_json,
                                           &texts_with_generation_prompt));
    }
  }
  RemoveReplacedFiles(staging, split_stages.replaced);
  final_files.push_back({{{staging + "/" + kManifestFile, manifest_json}}, {staging + "/" + kCheckpointFile}});
  TP_RETURN_IF_ERROR(io::WriteFileSteps(final_files));
  if (earlier_pages.joinable()) earlier_pages.join();
  TP_RETURN_IF_ERROR(folder.Publish());
  if (part) {
    // Last, and atomically: a part folder with its marker is complete.
    part->options_json = options_json;
    part->first_rejection = state.first_rejection;
    part->manifest_hash = HashBytes(manifest_json);
    TP_RETURN_IF_ERROR(io::WriteFileAtomic(folder.dir() + "/" + kPartMarkerFile, PartMarkerJson(*part)));
  }

  events.SetProgress({state.inputs, state.written, state.rejected + state.filtered, bytes_total, bytes_total,
                      std::chrono::duration<double>(Clock::now() - started).count()});
  ExportSummary summary;
  summary.inputs = state.inputs;
  summary.written = state.written;
  summary.rejected = state.rejected;
  summary.filtered = state.filtered;
  summary.filtered_by_reason = state.filtered_by_reason;
  summary.examples_written = state.examples_written;
  summary.examples_truncated = state.examples_truncated;
  summary.rejected_by_reason = state.rejected_by_reason;
  summary.pii_redacted = state.pii_redacted;
  for (const PackedOutput& packed : manifest.packed) summary.packed.emplace_back(packed.path, packed.summary);
  summary.outputs = state.files;
  summary.first_rejection = state.first_rejection;
  summary.near_dedup_lsh = manifest.near_dedup_lsh;
  summary.generation_prompt_left = output_format->dangling_generation_prompt;
  summary.texts_with_generation_prompt = texts_with_generation_prompt;
  summary.report_read_back = report_read_back;
  return summary;
}

Result<ExportSummary> RunExport(const ExportOptions& options, EventSubscriber& subscriber,
                                const CancelToken* cancel) {
  EventPublisher events(subscriber);
  Result<ExportSummary> summary = [&]() -> Result<ExportSummary> {
    // No exception may leave the library: whatever escapes a stage ends the run with a message.
    try {
      return RunExportStream(options, events, cancel);
    } catch (...) {
      return InternalError("unexpected error (please report it): " + ExceptionText(std::current_exception()));
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
