// Job: one export submitted to the server, what job.json holds about it, and how it is shown
// by GET /api/v1/exports/{id}.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tunepack/core/result.h"

namespace tunepack::server {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kInterrupted };

// Returns "queued", "running", "succeeded", "failed", "cancelled" or "interrupted".
std::string_view JobStatusName(JobStatus status);
// Parses a name JobStatusName returns.
std::optional<JobStatus> ParseJobStatus(std::string_view name);
// Returns whether a job in `status` is neither waiting nor running.
inline bool IsFinished(JobStatus status) {
  return status != JobStatus::kQueued && status != JobStatus::kRunning;
}

// JobProgress: the counts of the latest progress event.
struct JobProgress {
  uint64_t inputs = 0;       ///< input units accounted for
  uint64_t written = 0;      ///< input units written
  uint64_t rejected = 0;     ///< input units rejected
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  double elapsed_seconds = 0;
  std::string stage;         ///< "read", or a pass after the stream ("pack", "report")
};

// JobFile: one file of the output folder.
struct JobFile {
  std::string name;
  uint64_t bytes = 0;
  std::string xxh3_128;  ///< empty until the job has succeeded
};

struct JobError {
  std::string code;     ///< the status code name ("invalid_argument", ...)
  std::string message;  ///< option names spelled as JSON keys
};

// JobRecord: everything job.json keeps.
struct JobRecord {
  std::string id;
  JobStatus status = JobStatus::kQueued;
  std::string created_at;   ///< RFC 3339, UTC
  std::string started_at;   ///< the latest start
  std::string finished_at;  ///< the latest end
  uint64_t runs = 0;        ///< how many times it started (a resume starts it again)
  bool resume = false;      ///< the next run continues the output folder
  nlohmann::json request = nlohmann::json::object();  ///< the body as the client sent it
  std::string options_json;   ///< the options the export runs with (inputs resolved, output set)
  std::string download_key;   ///< lets a browser fetch the output files without the token
  JobProgress progress;
  nlohmann::json counts = nlohmann::json::object();  ///< the summary of a finished run
  uint64_t warnings = 0;
  std::optional<JobError> error;
  std::vector<JobFile> files;  ///< with hashes once succeeded
};

// Returns the record as job.json holds it.
nlohmann::json JobRecordJson(const JobRecord& record);
// Reads a record from job.json; DataLoss when it is not one.
Result<JobRecord> JobRecordFromJson(const nlohmann::json& json);

// Returns the API's view of a job: no secrets, URLs for the events and files.
nlohmann::json JobView(const JobRecord& record, const std::vector<JobFile>& files);

// Returns the current time as RFC 3339 in UTC with milliseconds: "2026-12-06T03:35:00.123Z".
std::string NowRfc3339();

}  // namespace tunepack::server
