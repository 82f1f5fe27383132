#include "server/job_manager.h"

#include <algorithm>
#include <filesystem>

#include "server/auth.h"
#include "server/export_request.h"
#include "server/job_event_recorder.h"
#include "server/output_files.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json SummaryJson(const pipeline::ExportSummary& s) {
  json counts = {{"inputs", s.inputs},
                 {"written", s.written},
                 {"rejected", s.rejected},
                 {"examples_written", s.examples_written},
                 {"examples_truncated", s.examples_truncated},
                 {"rejected_by_reason", s.rejected_by_reason}};
  if (!s.pii_redacted.empty()) counts["pii_redacted"] = s.pii_redacted;
  json by_split = json::object();
  for (const pipeline::OutputFileSummary& file : s.outputs) {
    by_split[file.split] = by_split.value(file.split, uint64_t{0}) + file.records;
  }
  counts["records_by_split"] = by_split;
  return counts;
}

JobError ErrorOf(const Status& status) {
  return {std::string(StatusCodeName(status.code())), WordOptionRefs(status.message(), OptionStyle::kJson)};
}

}  // namespace

json Job::View() const {
  std::lock_guard lock(mutex);
  JobRecord shown = record;
  if (recorder) {
    shown.progress = recorder->progress();
    shown.warnings = recorder->warnings();
  }
  // A finished job lists the files (with hashes) it recorded; a running one what is there.
  const std::vector<JobFile> files =
      record.status == JobStatus::kSucceeded ? record.files : ListOutputFiles(output_dir());
  return JobView(shown, files);
}

bool Job::Finished() const {
  std::lock_guard lock(mutex);
  return IsFinished(record.status);
}

JobManager::~JobManager() { Stop(); }

Status JobManager::Save(const Job& job) {
  return io::WriteFileAtomic(job.dir + "/job.json", JobRecordJson(job.record).dump(1) + "\n");
}

Status JobManager::Load() {
  std::error_code error;
  std::vector<std::shared_ptr<Job>> queued;
  for (const auto& entry : fs::directory_iterator(jobs_dir_, error)) {
    if (!entry.is_directory()) continue;
    auto job = std::make_shared<Job>();
    job->dir = entry.path().string();
    Result<std::string> text = io::ReadWholeFile(job->dir + "/job.json", 64u << 20);
    if (!text.has_value()) continue;  // a job folder whose creation was cut short
    Result<JobRecord> record = JobRecordFromJson(json::parse(*text, nullptr, false));
    if (!record.has_value() || record->id != entry.path().filename().string()) continue;
    job->record = std::move(*record);
    TP_ASSIGN_OR_RETURN(job->events, EventLog::Open(job->dir + "/events.jsonl"));
    if (job->record.status == JobStatus::kRunning) {
      // The server died during the run: the output folder holds the last checkpoint.
      job->record.status = JobStatus::kInterrupted;
      job->record.resume = true;
      job->record.finished_at = NowRfc3339();
      TP_RETURN_IF_ERROR(job->events->Append(
          "run_finished", SyntheticRunFinished("interrupted",
                                               "the server stopped during the run; resume continues it",
                                               job->record.progress)));
      TP_RETURN_IF_ERROR(Save(*job));
    }
    if (job->record.status == JobStatus::kQueued) queued.push_back(job);
    jobs_[job->record.id] = job;
  }
  std::sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) {
    return a->record.created_at < b->record.created_at;
  });
  for (const auto& job : queued) queue_.push_back(job->record.id);
  return Status::Ok();
}

void JobManager::Start() {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < std::max(1, workers_); ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

void JobManager::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    for (auto& [id, job] : jobs_) {
      std::lock_guard job_lock(job->mutex);
      if (job->cancel) {
        if (job->recorder) job->recorder->MarkInterrupted();
        job->cancel->Cancel();
      }
      job->events->Notify();
    }
  }
  queue_changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

bool JobManager::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

Result<std::pair<std::string, std::string>> JobManager::NewJobId() const {
  const std::optional<std::string> random = RandomHex(8);
  if (!random) return InternalError("cannot read the system's random source");
  std::string id = "ex_" + *random;
  return std::make_pair(id, jobs_dir_ + "/" + id + "/output");
}

Result<json> JobManager::Submit(const std::string& id, json request, std::string options_json) {
  auto job = std::make_shared<Job>();
  job->dir = jobs_dir_ + "/" + id;
  std::error_code error;
  fs::create_directories(job->dir, error);
  if (error) return InternalError("cannot create " + job->dir + ": " + error.message());
  const std::optional<std::string> key = RandomHex(16);
  if (!key) return InternalError("cannot read the system's random source");
  job->record.id = id;
  job->record.status = JobStatus::kQueued;
  job->record.created_at = NowRfc3339();
  job->record.request = std::move(request);
  job->record.options_json = std::move(options_json);
  job->record.download_key = *key;
  TP_ASSIGN_OR_RETURN(job->events, EventLog::Open(job->dir + "/events.jsonl"));
  {
    std::lock_guard job_lock(job->mutex);
    TP_RETURN_IF_ERROR(Save(*job));
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Status(StatusCode::kUnknown, "the server is stopping");
    jobs_[id] = job;
    queue_.push_back(id);
  }
  queue_changed_.notify_one();
  return job->View();
}

Result<std::shared_ptr<Job>> JobManager::Find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return NotFoundError("no export " + id);
  return it->second;
}

std::vector<std::shared_ptr<Job>> JobManager::List() const {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) jobs.push_back(job);
  }
  std::sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) {
    // created_at and id never change, so reading them without the job's lock is safe.
    return a->record.created_at != b->record.created_at ? a->record.created_at > b->record.created_at
                                                        : a->record.id > b->record.id;
  });
  return jobs;
}

Result<json> JobManager::Cancel(const std::string& id, std::chrono::milliseconds wait) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<Job> job, Find(id));
  std::unique_lock lock(job->mutex);
  switch (job->record.status) {
    case JobStatus::kQueued:
      // Never started (or waiting to resume): nothing to stop, the worker will skip it.
      job->record.status = JobStatus::kCancelled;
      job->record.finished_at = NowRfc3339();
      TP_RETURN_IF_ERROR(job->events->Append(
          "run_finished", SyntheticRunFinished("cancelled", "cancelled before it started", job->record.progress)));
      TP_RETURN_IF_ERROR(Save(*job));
      break;
    case JobStatus::kRunning:
      job->cancel_requested = true;
      job->cancel->Cancel();
      job->settled.wait_for(lock, wait, [&] { return job->record.status != JobStatus::kRunning; });
      break;
    default:
      return FailedPreconditionError("export " + id + " is " + std::string(JobStatusName(job->record.status)) +
                                     ": only a queued or running export can be cancelled");
  }
  lock.unlock();
  job->events->Notify();
  return job->View();
}

Result<json> JobManager::Resume(const std::string& id) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<Job> job, Find(id));
  {
    std::lock_guard lock(job->mutex);
    const JobStatus status = job->record.status;
    if (status != JobStatus::kCancelled && status != JobStatus::kInterrupted && status != JobStatus::kFailed) {
      return FailedPreconditionError("export " + id + " is " + std::string(JobStatusName(status)) +
                                     ": only a cancelled, interrupted or failed export can be resumed");
    }
    job->record.status = JobStatus::kQueued;
    job->record.resume = true;
    job->record.error.reset();
    job->cancel_requested = false;
    TP_RETURN_IF_ERROR(Save(*job));
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(id);
  }
  queue_changed_.notify_one();
  job->events->Notify();
  return job->View();
}

Status JobManager::Delete(const std::string& id) {
  TP_ASSIGN_OR_RETURN(std::shared_ptr<Job> job, Find(id));
  {
    std::lock_guard lock(job->mutex);
    if (!IsFinished(job->record.status)) {
      return FailedPreconditionError("export " + id + " is " + std::string(JobStatusName(job->record.status)) +
                                     ": cancel it before deleting it");
    }
    job->deleted = true;
  }
  {
    std::lock_guard lock(mutex_);
    jobs_.erase(id);
  }
  job->events->Notify();
  // Everything under the job's folder was written by the server for this job.
  std::error_code error;
  fs::remove_all(job->dir, error);
  if (error) return InternalError("cannot delete " + job->dir + ": " + error.message());
  return Status::Ok();
}

void JobManager::WorkerLoop() {
  while (true) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      const std::string id = queue_.front();
      queue_.pop_front();
      auto it = jobs_.find(id);
      if (it == jobs_.end()) continue;
      job = it->second;
      std::lock_guard job_lock(job->mutex);
      if (job->record.status != JobStatus::kQueued) continue;  // cancelled while queued
      job->record.status = JobStatus::kRunning;
      job->cancel = std::make_shared<pipeline::CancelToken>();
    }
    RunJob(job);
  }
}

void JobManager::RunJob(const std::shared_ptr<Job>& job) {
  std::string options_json;
  bool resume;
  {
    std::lock_guard lock(job->mutex);
    ++job->record.runs;
    job->record.started_at = NowRfc3339();
    job->record.finished_at.clear();
    job->record.error.reset();
    job->recorder = std::make_shared<JobEventRecorder>(*job->events, [job](const JobProgress& progress) {
      std::lock_guard lock(job->mutex);
      job->record.progress = progress;
      (void)Save(*job);
    });
    options_json = job->record.options_json;
    resume = job->record.resume;
    (void)Save(*job);
  }
  Result<pipeline::ExportSummary> summary = [&]() -> Result<pipeline::ExportSummary> {
    TP_ASSIGN_OR_RETURN(pipeline::ExportOptions options, ExportOptionsForRun(options_json, resume));
    return pipeline::RunExport(options, *job->recorder, job->cancel.get());
  }();

  std::lock_guard lock(job->mutex);
  job->record.progress = job->recorder->progress();
  job->record.warnings = job->recorder->warnings();
  job->record.finished_at = NowRfc3339();
  const bool stopped = job->cancel->cancelled();
  if (summary.has_value()) {
    job->record.status = JobStatus::kSucceeded;
    job->record.resume = false;
    job->record.counts = SummaryJson(*summary);
    job->record.files = HashOutputFiles(job->output_dir());
  } else if (stopped && summary.error().code() == StatusCode::kCancelled) {
    job->record.status = job->cancel_requested ? JobStatus::kCancelled : JobStatus::kInterrupted;
    job->record.resume = true;
  } else {
    job->record.status = JobStatus::kFailed;
    job->record.resume = true;
    job->record.error = ErrorOf(summary.error());
    if (job->events->last_kind() != "run_finished") {
      // Options that no longer resolve (a template deleted since): the pipeline never ran.
      (void)job->events->Append("run_finished", SyntheticRunFinished(StatusCodeName(summary.error().code()),
                                                                    job->record.error->message,
                                                                    job->record.progress));
    }
  }
  job->recorder.reset();
  job->cancel.reset();
  (void)Save(*job);
  job->settled.notify_all();
  job->events->Notify();
}

}  // namespace tunepack::server
