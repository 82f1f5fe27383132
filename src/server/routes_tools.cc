// Stateless helpers of the dialog: token counts and template checks.
#include <charconv>

#include "server/http_util.h"
#include "server/routes.h"
#include "tunepack/core/utf8.h"
#include "tunepack/template/template.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::server {

using nlohmann::json;

namespace {

// Tokenizers one count request may name.
constexpr size_t kMaxCountTokenizers = 16;

Result<std::vector<std::string>> StringList(const json& body, const char* key) {
  if (!body.contains(key) || !body[key].is_array()) {
    return InvalidArgumentError(std::string(key) + " must be a list of strings");
  }
  std::vector<std::string> items;
  for (const json& item : body[key]) {
    if (!item.is_string()) return InvalidArgumentError(std::string(key) + " must be a list of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

Result<json> Count(const json& body, const ServerContext& context) {
  TP_ASSIGN_OR_RETURN(std::vector<std::string> texts, StringList(body, "texts"));
  TP_ASSIGN_OR_RETURN(std::vector<std::string> specs, StringList(body, "tokenizers"));
  if (specs.empty()) return InvalidArgumentError("tokenizers must name at least one tokenizer");
  if (specs.size() > kMaxCountTokenizers) {
    return InvalidArgumentError("tokenizers: at most " + std::to_string(kMaxCountTokenizers) + " at once");
  }
  json results = json::array();
  for (const std::string& spec : specs) {
    // A built-in name loads from the binary; anything else is a file under a root.
    std::string resolved = spec;
    bool builtin = false;
    for (const auto& info : tokenize::ListBuiltinTokenizers()) builtin = builtin || info.name == spec;
    if (!builtin) {
      Result<std::string> path = context.roots.Resolve(spec);
      if (!path.has_value()) return Status(path.error().code(), "tokenizers: " + path.error().message());
      resolved = *path;
    }
    Result<std::shared_ptr<const tokenize::Tokenizer>> tokenizer = tokenize::LoadTokenizer(resolved);
    if (!tokenizer.has_value()) {
      return Status(tokenizer.error().code(), "tokenizers: " + tokenizer.error().message());
    }
    json counts = json::array();
    uint64_t total = 0;
    for (const std::string& text : texts) {
      // Tokenizers take valid UTF-8; request bodies were checked by the JSON parser.
      TP_ASSIGN_OR_RETURN(size_t n, (*tokenizer)->Count(text, tokenize::EncodeOptions{}));
      counts.push_back(n);
      total += n;
    }
    results.push_back({{"tokenizer", spec}, {"counts", counts}, {"total", total}});
  }
  return json{{"results", results}};
}

// Splits "<name>:<line>:<column>: <message>" as Template::Parse reports errors.
json ErrorEntry(const std::string& name, const std::string& message) {
  json entry = {{"line", nullptr}, {"column", nullptr}, {"message", message}};
  const std::string prefix = name + ":";
  if (message.rfind(prefix, 0) != 0) return entry;
  const char* p = message.data() + prefix.size();
  const char* end = message.data() + message.size();
  uint64_t line = 0, column = 0;
  auto [after_line, line_error] = std::from_chars(p, end, line);
  if (line_error != std::errc() || after_line == end || *after_line != ':') return entry;
  auto [after_column, column_error] = std::from_chars(after_line + 1, end, column);
  if (column_error != std::errc() || after_column == end || *after_column != ':') return entry;
  const char* text = after_column + 1;
  while (text < end && *text == ' ') ++text;
  return {{"line", line}, {"column", column}, {"message", std::string(text, end)}};
}

Result<json> CheckTemplate(const json& body) {
  if (!body.contains("template") || !body["template"].is_string()) {
    return InvalidArgumentError("template must be the template's source text");
  }
  const bool chat = body.value("chat", false);
  const std::string name = body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>()
                                                                             : "template";
  const jinja::TemplateOptions options = chat ? jinja::ChatTemplateOptions() : jinja::TemplateOptions{};
  auto parsed = jinja::Template::Parse(body["template"].get<std::string>(), name, options);
  if (!parsed.ok()) {
    return json{{"ok", false}, {"variables", json::array()}, {"errors", json::array({ErrorEntry(name, parsed.error().message())})}};
  }
  json variables = json::array();
  for (const std::string& variable : parsed->ReferencedVariables()) variables.push_back(variable);
  return json{{"ok", true}, {"variables", variables}, {"errors", json::array()}};
}

template <typename Handler>
auto JsonRoute(ServerContext& context, Handler handler) {
  return [&context, handler](const httplib::Request&, httplib::Response& response, const httplib::ContentReader& reader) {
    Result<json> body = ReadJsonBody(reader, context.config.max_body_bytes);
    if (!body.has_value()) return SendStatus(response, body.error());
    Result<json> answer = handler(*body);
    if (!answer.has_value()) return SendStatus(response, answer.error());
    SendJson(response, *answer);
  };
}

}  // namespace

void AddToolRoutes(httplib::Server& http, ServerContext& context) {
  http.Post("/api/v1/count", JsonRoute(context, [&context](const json& body) { return Count(body, context); }));
  http.Post("/api/v1/templates/check", JsonRoute(context, [](const json& body) { return CheckTemplate(body); }));
}

}  // namespace tunepack::server
