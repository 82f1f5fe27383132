#include "server/openapi.h"

#include <string>

#include "tunepack/pipeline/options.h"
#include "tunepack/version.h"

namespace tunepack::server {

using nlohmann::json;

namespace {

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json JsonContent(const json& schema) { return {{"application/json", {{"schema", schema}}}}; }

json Reply(const std::string& description, const json& schema) {
  return {{"description", description}, {"content", JsonContent(schema)}};
}

json ErrorReply(const std::string& description) { return Reply(description, Ref("Error")); }

json PathParameter(const std::string& name, const std::string& description) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
          {"schema", {{"type", "string"}}}};
}

json QueryParameter(const std::string& name, const std::string& description, const json& schema) {
  return {{"name", name}, {"in", "query"}, {"required", false}, {"description", description}, {"schema", schema}};
}

// Adds the errors every authenticated operation can answer.
json WithCommonErrors(json responses) {
  responses["401"] = ErrorReply("No token, or a wrong one");
  return responses;
}

json Operation(const std::string& id, const std::string& summary, json responses) {
  return {{"operationId", id}, {"summary", summary}, {"responses", WithCommonErrors(std::move(responses))}};
}

json Object(json properties, json required = json::array()) {
  json schema = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json String() { return {{"type", "string"}}; }
json Integer() { return {{"type", "integer"}, {"minimum", 0}}; }
json ArrayOf(const json& items) { return {{"type", "array"}, {"items", items}}; }
json Nullable(const std::string& type) { return {{"type", json::array({type, "null"})}}; }

json Schemas() {
  json schemas;
  schemas["Error"] = Object(
      {{"error", Object({{"code", String()},
                         {"message", String()},
                         {"details", {{"type", "object"},
                                      {"description", "details.option names the option at fault, as a JSON key"}}}},
                        {"code", "message", "details"})}},
      {"error"});
  schemas["ExportRequest"] = ExportRequestSchema();
  json preview = ExportRequestSchema();
  preview["title"] = "PreviewRequest";
  preview["properties"]["limit"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 20},
                                    {"description", "How many examples to show"}};
  schemas["PreviewRequest"] = preview;
  schemas["Progress"] = Object({{"inputs", Integer()},
                                {"written", Integer()},
                                {"rejected", Integer()},
                                {"bytes_done", Integer()},
                                {"bytes_total", Integer()},
                                {"elapsed_seconds", {{"type", "number"}}},
                                {"stage", String()},
                                {"fraction", {{"type", json::array({"number", "null"})}}}});
  schemas["OutputFile"] = Object({{"name", String()},
                                  {"bytes", Integer()},
                                  {"xxh3_128", Nullable("string")},
                                  {"url", {{"type", "string"}, {"description", "Download URL; works without the token"}}}},
                                 {"name", "bytes", "url"});
  schemas["Export"] = Object(
      {{"id", String()},
       {"status", {{"type", "string"}, {"enum", {"queued", "running", "succeeded", "failed", "cancelled", "interrupted"}}}},
       {"created_at", {{"type", "string"}, {"format", "date-time"}}},
       {"started_at", Nullable("string")},
       {"finished_at", Nullable("string")},
       {"runs", Integer()},
       {"options", {{"type", "object"}, {"description", "The request as it was sent"}}},
       {"progress", Ref("Progress")},
       {"counts", {{"type", "object"}, {"description", "The summary of a finished run (as in manifest.json)"}}},
       {"warnings", Integer()},
       {"files", ArrayOf(Ref("OutputFile"))},
       {"events_url", String()},
       {"resumable", {{"type", "boolean"}}},
       {"error", {{"oneOf", json::array({{{"type", "null"}},
                                         Object({{"code", String()}, {"message", String()}})})}}}},
      {"id", "status", "created_at", "progress", "files"});
  schemas["ExportList"] = Object({{"exports", ArrayOf(Ref("Export"))}}, {"exports"});
  schemas["Upload"] = Object({{"id", String()}, {"name", String()}, {"bytes", Integer()}}, {"id", "name", "bytes"});
  schemas["Event"] = Object({{"id", Integer()},
                             {"event", {{"type", "string"},
                                        {"enum", {"run_started", "input_started", "input_finished", "record_written",
                                                  "record_rejected", "progress", "stage", "warning", "run_finished"}}}}},
                            {"id", "event"});
  schemas["Event"]["additionalProperties"] = true;
  schemas["PreviewExample"] = Object({{"split", String()},
                                      {"source", String()},
                                      {"record", Integer()},
                                      {"data", {{"type", "string"}, {"description", "The bytes the export writes"}}},
                                      {"tokens", Nullable("integer")}});
  schemas["Preview"] = Object({{"format", String()},
                               {"tokenizer", String()},
                               {"examples", ArrayOf(Ref("PreviewExample"))},
                               {"rejections", ArrayOf(Object({{"source", String()},
                                                              {"record", Integer()},
                                                              {"reason", String()},
                                                              {"detail", String()}}))},
                               {"more", {{"type", "boolean"}}},
                               {"seconds", {{"type", "number"}}}},
                              {"examples", "rejections"});
  schemas["CountRequest"] = Object({{"texts", ArrayOf(String())}, {"tokenizers", ArrayOf(String())}},
                                   {"texts", "tokenizers"});
  schemas["CountResult"] = Object({{"results", ArrayOf(Object({{"tokenizer", String()},
                                                                {"counts", ArrayOf(Integer())},
                                                                {"total", Integer()}}))}});
  schemas["TemplateCheckRequest"] = Object(
      {{"template", String()},
       {"chat", {{"type", "boolean"}, {"description", "Parse as a chat template (trim_blocks, lstrip_blocks)"}}},
       {"name", {{"type", "string"}, {"description", "Names the template in messages"}}}},
      {"template"});
  schemas["TemplateCheck"] = Object({{"ok", {{"type", "boolean"}}},
                                     {"variables", ArrayOf(String())},
                                     {"errors", ArrayOf(Object({{"line", Integer()},
                                                                {"column", Integer()},
                                                                {"message", String()}}))}},
                                    {"ok"});
  return schemas;
}

json Paths() {
  json paths;
  const json export_id = PathParameter("id", "The export's id");
  paths["/api/v1/openapi.json"]["get"] =
      Operation("getOpenApi", "This document", {{"200", Reply("The OpenAPI document", {{"type", "object"}})}});
  paths["/api/v1/health"]["get"] =
      Operation("getHealth", "Whether the server is up, and its version",
                {{"200", Reply("Up", Object({{"status", String()}, {"version", String()}}))}});
  paths["/api/v1/formats"]["get"] = Operation(
      "listFormats", "The dataset formats",
      {{"200", Reply("Formats", Object({{"formats", ArrayOf(Object({{"name", String()},
                                                                    {"description", String()},
                                                                    {"extension", String()}}))}}))}});
  paths["/api/v1/tokenizers"]["get"] = Operation(
      "listTokenizers", "The built-in tokenizers",
      {{"200", Reply("Tokenizers", Object({{"tokenizers", ArrayOf(Object({{"name", String()},
                                                                          {"description", String()}}))}}))}});
  paths["/api/v1/options"]["get"] = Operation(
      "getOptions", "The export options' JSON Schema (names, types, defaults, choices, groups, docs)",
      {{"200", Reply("JSON Schema", {{"type", "object"}})}});
  paths["/api/v1/roots"]["get"] = Operation(
      "listRoots", "The folders whose files requests may name",
      {{"200", Reply("Roots", Object({{"roots", ArrayOf(String())}}))}});
  json browse = Operation(
      "browse", "The entries of a folder under a root",
      {{"200", Reply("Entries", Object({{"path", String()},
                                        {"entries", ArrayOf(Object({{"name", String()},
                                                                    {"path", String()},
                                                                    {"type", {{"type", "string"}, {"enum", {"file", "folder"}}}},
                                                                    {"bytes", Integer()}}))}}))},
       {"403", ErrorReply("Outside the roots")},
       {"404", ErrorReply("No such folder")}});
  browse["parameters"] = json::array({QueryParameter("path", "A folder under a root (default: the first root)", String())});
  paths["/api/v1/browse"]["get"] = browse;
  json upload = Operation("createUpload", "Store a file sent as the raw request body",
                          {{"201", Reply("Stored", Ref("Upload"))},
                           {"413", ErrorReply("Larger than --max-upload-mb")}});
  upload["parameters"] = json::array({QueryParameter("name", "The file name; its extension decides how it is read", String())});
  upload["requestBody"] = {{"required", true},
                           {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  paths["/api/v1/uploads"]["post"] = upload;
  paths["/api/v1/uploads"]["get"] = Operation(
      "listUploads", "The stored uploads", {{"200", Reply("Uploads", Object({{"uploads", ArrayOf(Ref("Upload"))}}))}});
  json delete_upload = Operation("deleteUpload", "Delete an upload",
                                 {{"204", {{"description", "Deleted"}}}, {"404", ErrorReply("No such upload")}});
  delete_upload["parameters"] = json::array({PathParameter("id", "The upload's id")});
  paths["/api/v1/uploads/{id}"]["delete"] = delete_upload;
  json count = Operation("countTokens", "Count the tokens of texts under tokenizers",
                         {{"200", Reply("Counts", Ref("CountResult"))}, {"400", ErrorReply("Bad request")}});
  count["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("CountRequest"))}};
  paths["/api/v1/count"]["post"] = count;
  json check = Operation("checkTemplate", "Check a Jinja2 template; errors carry line and column",
                         {{"200", Reply("The result of the check", Ref("TemplateCheck"))},
                          {"400", ErrorReply("Bad request")}});
  check["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("TemplateCheckRequest"))}};
  paths["/api/v1/templates/check"]["post"] = check;
  json preview = Operation("preview", "The first examples exactly as the export would write them",
                           {{"200", Reply("Examples", Ref("Preview"))},
                            {"400", ErrorReply("An invalid option (details.option names it)")},
                            {"403", ErrorReply("A path outside the roots")},
                            {"404", ErrorReply("A missing file or upload")},
                            {"413", ErrorReply("Body too large")},
                            {"422", ErrorReply("The export cannot run with these inputs")}});
  preview["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("PreviewRequest"))}};
  paths["/api/v1/preview"]["post"] = preview;
  json create = Operation("createExport", "Start an export job",
                          {{"202", Reply("Queued", Ref("Export"))},
                           {"400", ErrorReply("An invalid option (details.option names it)")},
                           {"403", ErrorReply("A path outside the roots")},
                           {"404", ErrorReply("A missing file or upload")},
                           {"413", ErrorReply("Body too large")},
                           {"503", ErrorReply("The server is stopping")}});
  create["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("ExportRequest"))}};
  paths["/api/v1/exports"]["post"] = create;
  json list = Operation("listExports", "Every export, newest first", {{"200", Reply("Exports", Ref("ExportList"))}});
  list["parameters"] = json::array({QueryParameter(
      "status", "Only exports in this status",
      {{"type", "string"}, {"enum", {"queued", "running", "succeeded", "failed", "cancelled", "interrupted"}}})});
  paths["/api/v1/exports"]["get"] = list;
  paths["/api/v1/exports/{id}"]["parameters"] = json::array({export_id});
  paths["/api/v1/exports/{id}"]["get"] =
      Operation("getExport", "An export's status, progress, counts and files",
                {{"200", Reply("The export", Ref("Export"))}, {"404", ErrorReply("No such export")}});
  paths["/api/v1/exports/{id}"]["delete"] =
      Operation("deleteExport", "Delete a finished export and its files",
                {{"204", {{"description", "Deleted"}}},
                 {"404", ErrorReply("No such export")},
                 {"409", ErrorReply("Queued or running: cancel it first")}});
  json events = Operation(
      "getExportEvents",
      "The export's events: Server-Sent Events (id, event, data), replayed after Last-Event-ID, closed after "
      "the final run_finished; with ?after=N, the same events as JSON",
      {{"200", {{"description", "Events"},
                {"content", {{"text/event-stream", {{"schema", String()}}},
                             {"application/json", {{"schema", Object({{"events", ArrayOf(Ref("Event"))},
                                                                      {"last_id", Integer()},
                                                                      {"finished", {{"type", "boolean"}}}})}}}}}}},
       {"204", {{"description", "Finished, and no events after Last-Event-ID (tells EventSource to stop)"}}},
       {"404", ErrorReply("No such export")}});
  events["parameters"] = json::array(
      {QueryParameter("after", "Return events with ids above this as JSON", Integer()),
       QueryParameter("limit", "With after: at most this many events (default 1000)", Integer()),
       {{"name", "Last-Event-ID"}, {"in", "header"}, {"required", false}, {"schema", String()},
        {"description", "Replay events after this id (sent by EventSource when it reconnects)"}}});
  paths["/api/v1/exports/{id}/events"]["parameters"] = json::array({export_id});
  paths["/api/v1/exports/{id}/events"]["get"] = events;
  paths["/api/v1/exports/{id}/cancel"]["parameters"] = json::array({export_id});
  paths["/api/v1/exports/{id}/cancel"]["post"] =
      Operation("cancelExport", "Stop a queued or running export; its output folder stays resumable",
                {{"200", Reply("The export, stopped", Ref("Export"))},
                 {"404", ErrorReply("No such export")},
                 {"409", ErrorReply("Already finished")}});
  paths["/api/v1/exports/{id}/resume"]["parameters"] = json::array({export_id});
  paths["/api/v1/exports/{id}/resume"]["post"] =
      Operation("resumeExport", "Continue a cancelled, interrupted or failed export",
                {{"202", Reply("Queued again", Ref("Export"))},
                 {"404", ErrorReply("No such export")},
                 {"409", ErrorReply("Not resumable in its state")}});
  json file = Operation(
      "getExportFile", "Download an output file (Range requests supported)",
      {{"200", {{"description", "The file"}, {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}},
       {"206", {{"description", "Part of the file"}}},
       {"404", ErrorReply("No such export or file")},
       {"416", {{"description", "The range is outside the file"}}}});
  file["parameters"] = json::array({export_id, PathParameter("name", "The file name"),
                                    QueryParameter("key", "The export's download key (from files[].url), instead of the token", String())});
  file["security"] = json::array({{{"bearer", json::array()}}, json::object()});
  paths["/api/v1/exports/{id}/files/{name}"]["get"] = file;
  return paths;
}

}  // namespace

json ExportRequestSchema() {
  json schema = json::parse(pipeline::ExportOptionTable().JsonSchema(options::kExport, "ExportRequest"));
  schema.erase("$schema");
  schema.erase("$id");
  for (const char* owned : {"output", "resume", "overwrite"}) {
    if (schema.contains("properties")) schema["properties"].erase(owned);
    if (schema.contains("required") && schema["required"].is_array()) {
      json kept = json::array();
      for (const json& name : schema["required"]) {
        if (name != owned) kept.push_back(name);
      }
      schema["required"] = kept;
    }
  }
  if (schema.contains("properties") && schema["properties"].contains("inputs")) {
    schema["properties"]["inputs"]["description"] =
        "Upload ids (POST /api/v1/uploads) or paths under a root (relative ones to the first root)";
  }
  return schema;
}

json OpenApiDocument() {
  json doc = {{"openapi", "3.1.0"},
              {"info", {{"title", "tunepack"},
                        {"version", kVersion},
                        {"description", "Turn documents and records into fine-tuning datasets: async export jobs, "
                                        "exact previews, live events, resumable jobs. See docs/serve.md."}}},
              {"servers", json::array({{{"url", "/"}}})},
              {"security", json::array({{{"bearer", json::array()}}})},
              {"paths", Paths()},
              {"components", {{"schemas", Schemas()},
                              {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
  return doc;
}

}  // namespace tunepack::server
