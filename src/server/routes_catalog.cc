// What the server offers: its description, formats, tokenizers, option schema, and the
// folders a client may pick inputs from.
#include <filesystem>

#include "server/http_util.h"
#include "server/openapi.h"
#include "server/routes.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/tokenize/tokenizer.h"
#include "tunepack/version.h"

namespace tunepack::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Entries listed per folder at most.
constexpr size_t kMaxBrowseEntries = 10000;

void Browse(const httplib::Request& request, httplib::Response& response, const ServerContext& context) {
  const std::string requested = request.has_param("path") ? request.get_param_value("path")
                                : context.roots.roots().empty() ? std::string()
                                                                : context.roots.roots().front();
  Result<std::string> dir = context.roots.Resolve(requested);
  if (!dir.has_value()) return SendStatus(response, dir.error());
  std::error_code error;
  if (!fs::is_directory(*dir, error)) return SendStatus(response, InvalidArgumentError(requested + ": not a folder"));
  json entries = json::array();
  std::vector<fs::directory_entry> found;
  for (const auto& entry : fs::directory_iterator(*dir, error)) {
    if (found.size() >= kMaxBrowseEntries) break;
    found.push_back(entry);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& entry : found) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    // Links are listed by where they lead, and only when that is under a root.
    std::error_code ignored;
    const fs::path target = fs::canonical(entry.path(), ignored);
    if (ignored || !context.roots.Contains(target.string())) continue;
    const bool folder = fs::is_directory(target, ignored);
    json item = {{"name", name}, {"path", entry.path().string()}, {"type", folder ? "folder" : "file"}};
    if (!folder) item["bytes"] = fs::file_size(target, ignored);
    entries.push_back(std::move(item));
  }
  SendJson(response, {{"path", *dir}, {"entries", entries}});
}

}  // namespace

void AddCatalogRoutes(httplib::Server& http, ServerContext& context) {
  http.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& response) {
    static const std::string document = OpenApiDocument().dump();
    response.set_content(document, "application/json");
  });
  http.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& response) {
    SendJson(response, {{"status", "ok"}, {"version", kVersion}});
  });
  http.Get("/api/v1/formats", [](const httplib::Request&, httplib::Response& response) {
    json formats = json::array();
    for (const format::Format& f : format::BuiltinFormats().entries()) {
      formats.push_back({{"name", f.name},
                         {"description", WordOptionRefs(f.description, OptionStyle::kJson)},
                         {"extension", f.extension},
                         {"writes_only", !f.read_as.empty()},
                         {"needs_settings", static_cast<bool>(f.bind)}});
    }
    SendJson(response, {{"formats", formats}});
  });
  http.Get("/api/v1/tokenizers", [](const httplib::Request&, httplib::Response& response) {
    json tokenizers = json::array();
    for (const tokenize::BuiltinTokenizerInfo& info : tokenize::ListBuiltinTokenizers()) {
      tokenizers.push_back({{"name", info.name}, {"description", info.description}});
    }
    SendJson(response, {{"tokenizers", tokenizers}});
  });
  http.Get("/api/v1/options", [](const httplib::Request&, httplib::Response& response) {
    static const std::string schema = ExportRequestSchema().dump();
    response.set_content(schema, "application/json");
  });
  http.Get("/api/v1/roots", [&context](const httplib::Request&, httplib::Response& response) {
    SendJson(response, {{"roots", context.roots.roots()}});
  });
  http.Get("/api/v1/browse", [&context](const httplib::Request& request, httplib::Response& response) {
    Browse(request, response, context);
  });
}

}  // namespace tunepack::server
