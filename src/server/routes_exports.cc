// Export jobs: submit, list, inspect, watch (SSE or JSON), cancel, resume, delete.
#include <charconv>
#include <chrono>

#include "server/auth.h"
#include "server/export_request.h"
#include "server/http_util.h"
#include "server/routes.h"
#include "server/sse.h"

namespace tunepack::server {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kExportPath = "/api/v1/exports/([A-Za-z0-9_]+)";
// Events per SSE write and per JSON answer (the JSON default; ?limit= up to kMaxEventPage).
constexpr size_t kEventBatch = 256;
constexpr size_t kDefaultEventPage = 1000;
constexpr size_t kMaxEventPage = 10000;
// An idle stream sends a comment this often, so a closed client is noticed and proxies
// keep the connection.
constexpr auto kKeepAliveInterval = std::chrono::seconds(10);

std::optional<uint64_t> NumberParam(const httplib::Request& request, const char* name) {
  if (!request.has_param(name)) return std::nullopt;
  const std::string value = request.get_param_value(name);
  uint64_t number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || value.empty()) return std::nullopt;
  return number;
}

void Submit(const httplib::ContentReader& reader, httplib::Response& response, ServerContext& context) {
  if (context.stopping) return SendError(response, MakeError(503, "stopping", "the server is stopping"));
  Result<json> body = ReadJsonBody(reader, context.config.max_body_bytes);
  if (!body.has_value()) return SendStatus(response, body.error());
  Result<std::pair<std::string, std::string>> id = context.jobs->NewJobId();
  if (!id.has_value()) return SendStatus(response, id.error());
  // Every option is checked (and every path resolved) before the job exists.
  Result<ResolvedExport> resolved = ResolveExportRequest(*body, context.roots, *context.uploads, id->second);
  if (!resolved.has_value()) return SendStatus(response, resolved.error());
  Result<json> view = context.jobs->Submit(id->first, std::move(*body), std::move(resolved->options_json));
  if (!view.has_value()) {
    if (context.jobs->stopping()) return SendError(response, MakeError(503, "stopping", "the server is stopping"));
    return SendStatus(response, view.error());
  }
  response.set_header("Location", "/api/v1/exports/" + id->first);
  SendJson(response, *view, 202);
}

void List(const httplib::Request& request, httplib::Response& response, const ServerContext& context) {
  std::optional<JobStatus> wanted;
  if (request.has_param("status")) {
    wanted = ParseJobStatus(request.get_param_value("status"));
    if (!wanted) return SendStatus(response, InvalidArgumentError("status: not a job status"));
  }
  json exports = json::array();
  for (const std::shared_ptr<Job>& job : context.jobs->List()) {
    json view = job->View();
    if (wanted && view["status"] != JobStatusName(*wanted)) continue;
    exports.push_back(std::move(view));
  }
  SendJson(response, {{"exports", exports}});
}

// GET .../events?after=N: the events above N as one JSON object; with &wait=S, waits up to
// S seconds (at most 30) for the first one (a long poll).
void EventsJson(const httplib::Request& request, httplib::Response& response, const std::shared_ptr<Job>& job,
                uint64_t after, const ServerContext& context) {
  const size_t limit = std::min<uint64_t>(NumberParam(request, "limit").value_or(kDefaultEventPage), kMaxEventPage);
  const uint64_t wait = std::min<uint64_t>(NumberParam(request, "wait").value_or(0), 30);
  const auto deadline = Clock::now() + std::chrono::seconds(wait);
  while (job->events->last_id() <= after && !job->Finished() && !context.stopping && Clock::now() < deadline) {
    job->events->Wait(after, std::chrono::milliseconds(250));
  }
  const std::vector<StoredEvent> events = job->events->After(after, std::max<size_t>(limit, 1));
  std::string body = "{\"events\":[";
  uint64_t last = after;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) body += ",";
    body += events[i].json;
    last = events[i].id;
  }
  const bool finished = job->Finished() && last >= job->events->last_id();
  body += "],\"last_id\":" + std::to_string(last) + ",\"finished\":" + (finished ? "true" : "false") + "}";
  response.set_content(body, "application/json");
}

void EventStream(httplib::Response& response, const std::shared_ptr<Job>& job, uint64_t after,
                 ServerContext& context) {
  if (job->Finished() && job->events->last_id() <= after) {
    // 204 tells an EventSource not to reconnect: there is nothing more, ever.
    response.status = 204;
    return;
  }
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Accel-Buffering", "no");
  struct StreamState {
    uint64_t next;
    Clock::time_point last_write = Clock::now();
    bool greeted = false;
  };
  auto state = std::make_shared<StreamState>(StreamState{after});
  response.set_chunked_content_provider(
      "text/event-stream", [job, state, &context](size_t, httplib::DataSink& sink) {
        if (!state->greeted) {
          // Reconnect soon after a dropped connection; EventSource sends Last-Event-ID then.
          const std::string retry = "retry: 1000\n\n";
          state->greeted = true;
          return sink.write(retry.data(), retry.size());
        }
        const std::vector<StoredEvent> events = job->events->After(state->next, kEventBatch);
        if (!events.empty()) {
          std::string frames;
          for (const StoredEvent& event : events) frames += SseFrame(event.id, event.kind, event.json);
          state->next = events.back().id;
          state->last_write = Clock::now();
          return sink.write(frames.data(), frames.size());
        }
        if ((job->Finished() && job->events->last_id() <= state->next) || context.stopping) {
          sink.done();
          return true;
        }
        if (Clock::now() - state->last_write >= kKeepAliveInterval) {
          const std::string comment = SseKeepAlive();
          state->last_write = Clock::now();
          return sink.write(comment.data(), comment.size());
        }
        job->events->Wait(state->next, std::chrono::milliseconds(250));
        return true;
      });
}

void Events(const httplib::Request& request, httplib::Response& response, ServerContext& context) {
  Result<std::shared_ptr<Job>> job = context.jobs->Find(PathPart(request, 1));
  if (!job.has_value()) return SendStatus(response, job.error());
  if (request.has_param("after")) {
    const std::optional<uint64_t> after = NumberParam(request, "after");
    if (!after) return SendStatus(response, InvalidArgumentError("after must be an event id (a number)"));
    return EventsJson(request, response, *job, *after, context);
  }
  uint64_t after = 0;
  // EventSource resends the last id it saw in this header when it reconnects; a client that
  // cannot set headers may pass it as ?last_event_id=.
  const std::string header = request.has_header("Last-Event-ID") ? request.get_header_value("Last-Event-ID")
                             : request.has_param("last_event_id") ? request.get_param_value("last_event_id")
                                                                  : "";
  if (!header.empty()) {
    const std::optional<uint64_t> id = ParseEventId(header);
    if (!id) return SendStatus(response, InvalidArgumentError("Last-Event-ID must be an event id (a number)"));
    after = *id;
  }
  EventStream(response, *job, after, context);
}

}  // namespace

void AddExportRoutes(httplib::Server& http, ServerContext& context) {
  http.Post("/api/v1/exports", [&context](const httplib::Request&, httplib::Response& response,
                                          const httplib::ContentReader& reader) { Submit(reader, response, context); });
  http.Get("/api/v1/exports", [&context](const httplib::Request& request, httplib::Response& response) {
    List(request, response, context);
  });
  http.Get(kExportPath, [&context](const httplib::Request& request, httplib::Response& response) {
    Result<std::shared_ptr<Job>> job = context.jobs->Find(PathPart(request, 1));
    if (!job.has_value()) return SendStatus(response, job.error());
    SendJson(response, (*job)->View());
  });
  http.Delete(kExportPath, [&context](const httplib::Request& request, httplib::Response& response) {
    Status status = context.jobs->Delete(PathPart(request, 1));
    if (!status.ok()) return SendStatus(response, status);
    response.status = 204;
  });
  http.Get(std::string(kExportPath) + "/events", [&context](const httplib::Request& request, httplib::Response& response) {
    Events(request, response, context);
  });
  http.Post(std::string(kExportPath) + "/cancel", [&context](const httplib::Request& request, httplib::Response& response) {
    Result<json> view = context.jobs->Cancel(PathPart(request, 1), std::chrono::seconds(5));
    if (!view.has_value()) return SendStatus(response, view.error());
    SendJson(response, *view);
  });
  http.Post(std::string(kExportPath) + "/resume", [&context](const httplib::Request& request, httplib::Response& response) {
    if (context.stopping) return SendError(response, MakeError(503, "stopping", "the server is stopping"));
    Result<json> view = context.jobs->Resume(PathPart(request, 1));
    if (!view.has_value()) return SendStatus(response, view.error());
    SendJson(response, *view, 202);
  });
}

}  // namespace tunepack::server
