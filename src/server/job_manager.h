// JobManager: the server's exports. Each job lives in jobs/<id>/ under the data folder
// (see data_dir.h); a fixed number of workers (--jobs) runs the queued ones in order. A job
// stopped by Cancel, by the server stopping, or by the server dying keeps its output folder
// resumable, and Resume continues it into the same bytes an uninterrupted run writes.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/event_log.h"
#include "server/job.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/events.h"

namespace tunepack::server {

class JobEventRecorder;

// Job: one export and what is needed to run, watch and stop it.
struct Job {
  std::string dir;
  std::unique_ptr<EventLog> events;
  mutable std::mutex mutex;  ///< guards everything below
  JobRecord record;
  std::shared_ptr<pipeline::CancelToken> cancel;   ///< while running
  std::shared_ptr<JobEventRecorder> recorder;      ///< while running
  bool cancel_requested = false;  ///< by the client (as opposed to the server stopping)
  bool deleted = false;
  std::condition_variable settled;  ///< notified when the job leaves `running`

  // Returns the API view (files listed from the output folder).
  nlohmann::json View() const;
  // Returns whether the job is neither queued nor running.
  bool Finished() const;
  std::string output_dir() const { return dir + "/output"; }
};

class JobManager {
 public:
  // `jobs_dir` is the data folder's jobs/; `workers` exports run at once.
  JobManager(std::string jobs_dir, int workers) : jobs_dir_(std::move(jobs_dir)), workers_(workers) {}
  ~JobManager();

  // Loads the jobs in jobs_dir: a job that was running when the last server died becomes
  // `interrupted` (with a final run_finished event saying so); queued ones are queued again.
  Status Load();
  // Starts the workers.
  void Start();
  // Stops the workers; running exports stop resumably and become `interrupted`.
  void Stop();

  // Returns a fresh job id ("ex_" and 16 hex digits) and the output folder it will use.
  Result<std::pair<std::string, std::string>> NewJobId() const;
  // Queues the export `id` (from NewJobId) whose validated options are `options_json`;
  // `request` is the body the client sent. Returns the job's view.
  Result<nlohmann::json> Submit(const std::string& id, nlohmann::json request, std::string options_json);

  // Returns the job `id`; NotFound when there is none.
  Result<std::shared_ptr<Job>> Find(const std::string& id) const;
  // Returns every job, newest first.
  std::vector<std::shared_ptr<Job>> List() const;

  // Stops a queued or running job (waiting up to `wait` for a running one to stop).
  // FailedPrecondition when it has already finished.
  Result<nlohmann::json> Cancel(const std::string& id, std::chrono::milliseconds wait);
  // Queues a cancelled, interrupted or failed job again, continuing its output folder.
  Result<nlohmann::json> Resume(const std::string& id);
  // Deletes a finished job and its folder; FailedPrecondition while it is queued or running.
  Status Delete(const std::string& id);

  // Returns whether Stop() has begun.
  bool stopping() const;

 private:
  void WorkerLoop();
  void RunJob(const std::shared_ptr<Job>& job);
  static Status Save(const Job& job);  // job.mutex held

  std::string jobs_dir_;
  int workers_;
  mutable std::mutex mutex_;
  std::condition_variable queue_changed_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace tunepack::server
