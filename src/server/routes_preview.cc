// POST /api/v1/preview: the first examples of an export, exactly as it would write them.
#include "server/export_request.h"
#include "server/http_util.h"
#include "server/preview.h"
#include "server/routes.h"

namespace tunepack::server {

using nlohmann::json;

namespace {

constexpr size_t kDefaultPreviewLimit = 20;
constexpr size_t kMaxPreviewLimit = 1000;

json PreviewJson(const PreviewResult& preview, size_t limit);

// Answers the preview of `body`: 400/403/404 for options that do not resolve, 422 when they
// do but the export fails on these inputs.
void Preview(json body, ServerContext& context, httplib::Response& response) {
  size_t limit = kDefaultPreviewLimit;
  if (body.contains("limit")) {
    const json& value = body["limit"];
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > int64_t{kMaxPreviewLimit}) {
      return SendStatus(response, InvalidArgumentError("limit must be an integer from 1 to " +
                                                       std::to_string(kMaxPreviewLimit)));
    }
    limit = value.get<size_t>();
    body.erase("limit");
  }
  // The output folder is a scratch one the preview picks; a placeholder passes validation.
  Result<ResolvedExport> resolved =
      ResolveExportRequest(body, context.roots, *context.uploads, context.data->tmp() + "/preview");
  if (!resolved.has_value()) return SendStatus(response, resolved.error());
  context.previews.acquire();
  Result<PreviewResult> preview = RunPreview(std::move(resolved->options), limit, context.data->tmp());
  context.previews.release();
  if (!preview.has_value()) {
    ApiError error = ErrorFromStatus(preview.error());
    // The options were valid; what failed is the run on these inputs.
    if (error.http_status == 400 || error.http_status == 409) {
      error.http_status = 422;
      error.code = "export_failed";
    }
    return SendError(response, error);
  }
  SendJson(response, PreviewJson(*preview, limit));
}

json PreviewJson(const PreviewResult& preview, size_t limit) {
  json examples = json::array();
  for (const PreviewExample& e : preview.examples) {
    json example = {{"split", e.split}, {"source", e.source}, {"record", e.record}, {"data", e.data}};
    example["tokens"] = e.tokens ? json(*e.tokens) : json(nullptr);
    examples.push_back(std::move(example));
  }
  json rejections = json::array();
  for (const PreviewRejection& r : preview.rejections) {
    rejections.push_back({{"source", r.source}, {"record", r.record}, {"reason", r.reason}, {"detail", r.detail}});
  }
  return json{{"format", preview.format},   {"tokenizer", preview.tokenizer}, {"limit", limit},
              {"examples", examples},       {"rejections", rejections},       {"more", preview.more},
              {"seconds", preview.seconds}};
}

}  // namespace

void AddPreviewRoutes(httplib::Server& http, ServerContext& context) {
  http.Post("/api/v1/preview", [&context](const httplib::Request&, httplib::Response& response,
                                          const httplib::ContentReader& reader) {
    Result<json> body = ReadJsonBody(reader, context.config.max_body_bytes);
    if (!body.has_value()) return SendStatus(response, body.error());
    Preview(std::move(*body), context, response);
  });
}

}  // namespace tunepack::server
