#include "server/job.h"

#include <array>
#include <chrono>
#include <ctime>

namespace tunepack::server {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<JobStatus, std::string_view>, 6> kStatusNames{{
    {JobStatus::kQueued, "queued"},
    {JobStatus::kRunning, "running"},
    {JobStatus::kSucceeded, "succeeded"},
    {JobStatus::kFailed, "failed"},
    {JobStatus::kCancelled, "cancelled"},
    {JobStatus::kInterrupted, "interrupted"},
}};

json ProgressJson(const JobProgress& p) {
  json j = {{"inputs", p.inputs},         {"written", p.written},
            {"rejected", p.rejected},     {"bytes_done", p.bytes_done},
            {"bytes_total", p.bytes_total}, {"elapsed_seconds", p.elapsed_seconds}};
  if (!p.stage.empty()) j["stage"] = p.stage;
  return j;
}

JobProgress ProgressFromJson(const json& j) {
  JobProgress p;
  if (!j.is_object()) return p;
  p.inputs = j.value("inputs", uint64_t{0});
  p.written = j.value("written", uint64_t{0});
  p.rejected = j.value("rejected", uint64_t{0});
  p.bytes_done = j.value("bytes_done", uint64_t{0});
  p.bytes_total = j.value("bytes_total", uint64_t{0});
  p.elapsed_seconds = j.value("elapsed_seconds", 0.0);
  p.stage = j.value("stage", std::string());
  return p;
}

json FilesJson(const std::vector<JobFile>& files) {
  json list = json::array();
  for (const JobFile& f : files) {
    json file = {{"name", f.name}, {"bytes", f.bytes}};
    file["xxh3_128"] = f.xxh3_128.empty() ? json(nullptr) : json(f.xxh3_128);
    list.push_back(std::move(file));
  }
  return list;
}

json NullIfEmpty(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

}  // namespace

std::string_view JobStatusName(JobStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<JobStatus> ParseJobStatus(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

json JobRecordJson(const JobRecord& r) {
  json j = {{"version", 1},
            {"id", r.id},
            {"status", JobStatusName(r.status)},
            {"created_at", r.created_at},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"runs", r.runs},
            {"resume", r.resume},
            {"request", r.request},
            {"options_json", r.options_json},
            {"download_key", r.download_key},
            {"progress", ProgressJson(r.progress)},
            {"counts", r.counts},
            {"warnings", r.warnings},
            {"files", FilesJson(r.files)}};
  j["error"] = r.error ? json{{"code", r.error->code}, {"message", r.error->message}} : json(nullptr);
  return j;
}

Result<JobRecord> JobRecordFromJson(const json& j) {
  if (!j.is_object() || j.value("version", 0) != 1) return DataLossError("not a job record");
  JobRecord r;
  try {
    r.id = j.at("id").get<std::string>();
    const std::optional<JobStatus> status = ParseJobStatus(j.at("status").get<std::string>());
    if (!status) return DataLossError("job " + r.id + ": unknown status");
    r.status = *status;
    r.created_at = j.value("created_at", std::string());
    r.started_at = j.value("started_at", std::string());
    r.finished_at = j.value("finished_at", std::string());
    r.runs = j.value("runs", uint64_t{0});
    r.resume = j.value("resume", false);
    r.request = j.value("request", json::object());
    r.options_json = j.at("options_json").get<std::string>();
    r.download_key = j.at("download_key").get<std::string>();
    r.progress = ProgressFromJson(j.value("progress", json::object()));
    r.counts = j.value("counts", json::object());
    r.warnings = j.value("warnings", uint64_t{0});
    if (j.contains("error") && j["error"].is_object()) {
      r.error = JobError{j["error"].value("code", std::string()), j["error"].value("message", std::string())};
    }
    for (const json& f : j.value("files", json::array())) {
      JobFile file;
      file.name = f.at("name").get<std::string>();
      file.bytes = f.value("bytes", uint64_t{0});
      if (f.contains("xxh3_128") && f["xxh3_128"].is_string()) file.xxh3_128 = f["xxh3_128"].get<std::string>();
      r.files.push_back(std::move(file));
    }
  } catch (const json::exception& e) {
    return DataLossError(std::string("job record: ") + e.what());
  }
  return r;
}

json JobView(const JobRecord& r, const std::vector<JobFile>& files) {
  const std::string base = "/api/v1/exports/" + r.id;
  json progress = ProgressJson(r.progress);
  if (r.status == JobStatus::kSucceeded) {
    progress["fraction"] = 1.0;
  } else if (r.progress.bytes_total > 0) {
    progress["fraction"] = static_cast<double>(r.progress.bytes_done) / static_cast<double>(r.progress.bytes_total);
  } else {
    progress["fraction"] = nullptr;
  }
  json file_list = json::array();
  for (const JobFile& f : files) {
    json file = {{"name", f.name},
                 {"bytes", f.bytes},
                 {"url", base + "/files/" + f.name + "?key=" + r.download_key}};
    file["xxh3_128"] = NullIfEmpty(f.xxh3_128);
    file_list.push_back(std::move(file));
  }
  json view = {{"id", r.id},
               {"status", JobStatusName(r.status)},
               {"created_at", r.created_at},
               {"started_at", NullIfEmpty(r.started_at)},
               {"finished_at", NullIfEmpty(r.finished_at)},
               {"runs", r.runs},
               {"options", r.request},
               {"progress", progress},
               {"counts", r.counts},
               {"warnings", r.warnings},
               {"files", file_list},
               {"events_url", base + "/events"},
               {"resumable", r.status == JobStatus::kCancelled || r.status == JobStatus::kInterrupted ||
                                 r.status == JobStatus::kFailed}};
  view["error"] = r.error ? json{{"code", r.error->code}, {"message", r.error->message}} : json(nullptr);
  return view;
}

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];  // room for any int the fields could hold, so the compiler sees no truncation
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return buffer;
}

}  // namespace tunepack::server
