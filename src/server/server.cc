#include "tunepack/server/server.h"

#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <regex>
#include <thread>

#include <httplib.h>

#include "server/auth.h"
#include "server/http_server.h"
#include "server/http_util.h"
#include "server/routes.h"
#include "server/server_context.h"
#include "tunepack/tokenize/thread_caches.h"

namespace tunepack::server {

namespace {

// Connections served at once. A Server-Sent Events stream holds one for its whole life, so
// there are many more than cores; idle ones cost a little memory each.
constexpr size_t kHttpThreads = 128;

// POST routes that read their body themselves, within a limit (uploads: --max-upload-mb;
// the others: the JSON body limit). Every other request must announce a small body.
bool ReadsOwnBody(const httplib::Request& request) {
  if (request.method != "POST") return false;
  return request.path == "/api/v1/uploads" || request.path == "/api/v1/count" ||
         request.path == "/api/v1/templates/check" || request.path == "/api/v1/preview" ||
         request.path == "/api/v1/exports";
}

// Returns the export id of a route that accepts the export's download key instead of the
// token (its files, its events), or "".
std::string KeyedExportId(const httplib::Request& request) {
  static const std::regex keyed("/api/v1/exports/([A-Za-z0-9_]+)/(files/[^/]+|events)");
  std::smatch match;
  if (request.method == "GET" && std::regex_match(request.path, match, keyed)) return match[1];
  return "";
}

const char* ErrorCodeOf(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "too_large";
    case 416: return "range_not_satisfiable";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "error";
  }
}

// The message of an error httplib answers by itself (no route, a malformed request...).
std::string MessageOf(int status) {
  switch (status) {
    case 400: return "malformed HTTP request";
    case 404: return "no such endpoint";
    case 405: return "method not allowed here";
    case 413: return "the request body is too large";
    case 416: return "the range is outside the file";
    default: return "HTTP status " + std::to_string(status);
  }
}

ConnectionLimits LimitsOf(const ServerConfig& config) {
  ConnectionLimits limits;
  limits.read_timeout = std::chrono::seconds(std::max(1, config.read_timeout_seconds));
  limits.header_timeout = std::chrono::seconds(std::max(1, config.header_timeout_seconds));
  return limits;
}

class ServerImpl : public Server {
 public:
  explicit ServerImpl(ServerConfig config) : http_(LimitsOf(config)) { context_.config = std::move(config); }

  Status Init() {
    ServerConfig& config = context_.config;
    if (config.token.empty()) return InvalidArgumentError("no token: pass --token or --token-file");
    if (config.data_dir.empty()) config.data_dir = DefaultDataDir();
    TP_ASSIGN_OR_RETURN(context_.roots, RootPaths::Create(config.roots));
    TP_ASSIGN_OR_RETURN(context_.data, DataDir::Open(config.data_dir));
    context_.uploads = std::make_unique<UploadStore>(context_.data->uploads(), context_.data->tmp(),
                                                     config.max_upload_bytes);
    context_.jobs = std::make_unique<JobManager>(context_.data->jobs(), std::max(1, config.jobs));
    TP_RETURN_IF_ERROR(context_.jobs->Load());
    Configure();
    return Status::Ok();
  }

  Result<int> Bind() override {
    const ServerConfig& config = context_.config;
    int port = config.port;
    if (port == 0) {
      port = http_.bind_to_any_port(config.host);
      if (port <= 0) return InvalidArgumentError("cannot listen on " + config.host + ": no free port");
    } else if (!http_.bind_to_port(config.host, port)) {
      return InvalidArgumentError("cannot listen on " + config.host + ":" + std::to_string(port) +
                                  " (in use, or not an address of this machine)");
    }
    if (!http_.WidenBacklog()) return InternalError("cannot listen on " + config.host + ": " + std::strerror(errno));
    return port;
  }

  Status Run() override {
    context_.jobs->Start();
    bool listening_done = false;
    std::thread listener([&] {
      http_.listen_after_bind();
      std::lock_guard lock(mutex_);
      listening_done = true;
      stop_requested_.notify_all();
    });
    {
      std::unique_lock lock(mutex_);
      stop_requested_.wait(lock, [&] { return context_.stopping.load() || listening_done; });
    }
    // stop() only takes effect once the listener runs; repeat until it has ended.
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (listening_done) break;
      }
      http_.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    listener.join();
    context_.stopping = true;
    context_.jobs->Stop();
    return Status::Ok();
  }

  void Stop() override {
    std::lock_guard lock(mutex_);
    context_.stopping = true;
    stop_requested_.notify_all();
  }

 private:
  void Configure() {
    const ServerConfig& config = context_.config;
    http_.new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
    // Routes enforce their own limits; this bounds what httplib itself reads for the others.
    // The margin lets a route's own limit trip first, so the client hears 413 from it.
    http_.set_payload_max_length(std::max<uint64_t>(config.max_upload_bytes, config.max_body_bytes) + (1u << 20));
    // A request thread that counted tokens (a preview, /count) keeps no cache for the rest
    // of its life: 128 of them at 8 MB each were most of a loaded server's memory.
    // What is freed goes back to the system: glibc would keep it in the thread's arena.
    http_.set_post_routing_handler([](const httplib::Request&, httplib::Response&) {
      if (tokenize::ThreadCacheCount() == 0) return;
      tokenize::ReleaseThreadCaches();
      malloc_trim(0);
    });
    http_.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) { return Admit(request, response); });
    http_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                    httplib::Response& response) {
      if (!response.body.empty() || response.status == 204) return httplib::Server::HandlerResponse::Unhandled;
      const int status = response.status;
      SendError(response, MakeError(status, ErrorCodeOf(status), MessageOf(status)));
      return httplib::Server::HandlerResponse::Handled;
    }));
    http_.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
      std::string what = "unexpected failure";
      try {
        if (error) std::rethrow_exception(error);
      } catch (const std::exception& e) {
        what += std::string(": ") + e.what();
      } catch (...) {
      }
      SendError(response, MakeError(500, "internal", what));
    });
    AddCatalogRoutes(http_, context_);
    AddUploadRoutes(http_, context_);
    AddToolRoutes(http_, context_);
    AddPreviewRoutes(http_, context_);
    AddExportRoutes(http_, context_);
    AddFileRoutes(http_, context_);
    AddPageRoutes(http_, context_);
  }

  // Runs before any route (and before a body is read): headers every answer carries, the
  // token, and body limits. Returns Handled when the request is answered here.
  httplib::Server::HandlerResponse Admit(const httplib::Request& request, httplib::Response& response) {
    using Answer = httplib::Server::HandlerResponse;
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    if (request.path.rfind("/api/", 0) != 0) return Answer::Unhandled;
    response.set_header("Cache-Control", "no-store");
    if (!Authorized(request)) {
      response.set_header("WWW-Authenticate", "Bearer realm=\"tunepack\"");
      const bool given = request.has_header("Authorization");
      SendError(response, MakeError(401, given ? "invalid_token" : "missing_token",
                                    given ? "the token is wrong" : "send the token: Authorization: Bearer <token>"));
      return Answer::Handled;
    }
    if (context_.stopping) {
      SendError(response, MakeError(503, "stopping", "the server is stopping"));
      return Answer::Handled;
    }
    const uint64_t announced = request.has_header("Content-Length")
                                   ? request.get_header_value<uint64_t>("Content-Length")
                                   : 0;
    if (ReadsOwnBody(request) && request.path != "/api/v1/uploads" && announced > context_.config.max_body_bytes) {
      // Refused before a byte of it is read.
      SendError(response, MakeError(413, "too_large", "the request body is larger than the server's limit of " +
                                                          std::to_string(context_.config.max_body_bytes) + " bytes"));
      return Answer::Handled;
    }
    if (!ReadsOwnBody(request)) {
      const bool chunked = request.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
      const uint64_t length = request.has_header("Content-Length")
                                  ? request.get_header_value<uint64_t>("Content-Length")
                                  : 0;
      if (chunked || length > context_.config.max_body_bytes) {
        SendError(response, MakeError(413, "too_large", "this request takes no body larger than " +
                                                            std::to_string(context_.config.max_body_bytes) + " bytes"));
        return Answer::Handled;
      }
    }
    return Answer::Unhandled;
  }

  bool Authorized(const httplib::Request& request) const {
    if (request.has_header("Authorization")) {
      // The view points into `header`, which must outlive it.
      const std::string header = request.get_header_value("Authorization");
      const std::optional<std::string_view> token = BearerToken(header);
      return token && TokenMatches(context_.config.token, *token);
    }
    const std::string id = KeyedExportId(request);
    if (id.empty() || !request.has_param("key")) return false;
    Result<std::shared_ptr<Job>> job = context_.jobs->Find(id);
    if (!job.has_value()) return false;
    std::string key;
    {
      std::lock_guard lock((*job)->mutex);
      key = (*job)->record.download_key;
    }
    return TokenMatches(key, request.get_param_value("key"));
  }

  ServerContext context_;
  HttpServer http_;
  std::mutex mutex_;
  std::condition_variable stop_requested_;
};

}  // namespace

Result<std::string> RandomToken() {
  std::optional<std::string> token = RandomHex(16);
  if (!token) return InternalError("cannot read the system's random source");
  return *token;
}

Result<std::unique_ptr<Server>> Server::Create(ServerConfig config) {
  auto server = std::make_unique<ServerImpl>(std::move(config));
  TP_RETURN_IF_ERROR(server->Init());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace tunepack::server
