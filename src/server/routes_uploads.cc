// Uploads: a raw request body stored as a file the exports can read.
#include "server/http_util.h"
#include "server/routes.h"

namespace tunepack::server {

using nlohmann::json;

namespace {

json UploadJson(const UploadInfo& info) { return {{"id", info.id}, {"name", info.name}, {"bytes", info.bytes}}; }

void Upload(const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader,
            const ServerContext& context) {
  // Refused before reading a byte when the client announces the size.
  if (request.has_header("Content-Length") &&
      request.get_header_value<uint64_t>("Content-Length") > context.uploads->max_bytes()) {
    return SendStatus(response, ResourceExhaustedError("the upload is larger than the server's limit of " +
                                                       std::to_string(context.uploads->max_bytes()) +
                                                       " bytes (--max-upload-mb)"));
  }
  const std::string name = request.has_param("name") ? request.get_param_value("name") : "upload";
  Result<std::unique_ptr<UploadWriter>> writer = context.uploads->Begin(name);
  if (!writer.has_value()) return SendStatus(response, writer.error());
  Status status;
  const bool complete = reader([&](const char* data, size_t size) {
    status = (*writer)->Write(std::string_view(data, size));
    return status.ok();
  });
  if (!status.ok()) return SendStatus(response, status);
  if (!complete) return SendStatus(response, InvalidArgumentError("the upload was cut short"));
  Result<UploadInfo> info = (*writer)->Commit();
  if (!info.has_value()) return SendStatus(response, info.error());
  SendJson(response, UploadJson(*info), 201);
}

}  // namespace

void AddUploadRoutes(httplib::Server& http, ServerContext& context) {
  http.Post("/api/v1/uploads",
            [&context](const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
              Upload(request, response, reader, context);
            });
  http.Get("/api/v1/uploads", [&context](const httplib::Request&, httplib::Response& response) {
    json uploads = json::array();
    for (const UploadInfo& info : context.uploads->List()) uploads.push_back(UploadJson(info));
    SendJson(response, {{"uploads", uploads}});
  });
  http.Delete("/api/v1/uploads/([^/]+)", [&context](const httplib::Request& request, httplib::Response& response) {
    Status status = context.uploads->Remove(PathPart(request, 1));
    if (!status.ok()) return SendStatus(response, status);
    response.status = 204;
  });
}

}  // namespace tunepack::server
