#include "tunepack/format/example_template.h"

#include <filesystem>

#include "format/json_fields.h"
#include "tunepack/core/hash.h"
#include "tunepack/core/json_syntax.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/core/utf8.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"

namespace tunepack::format {
namespace {

using jinja::Value;
using simdjson::dom::element;

// Templates are small; a larger file is almost certainly the wrong path.
constexpr uint64_t kMaxTemplateBytes = 16u << 20;

void SetKey(Value& dict, std::string_view key, Value value) {
  dict.as_dict().Set(Value::String(std::string(key)), std::move(value));
}

// Sets `key` unless the dict already has it (a record's own field wins).
void SetDefault(Value& dict, std::string_view key, Value value) {
  if (dict.as_dict().Find(key) == nullptr) SetKey(dict, key, std::move(value));
}

Value MetadataValue(const Metadata* metadata) {
  Value dict = Value::MakeDict();
  if (metadata == nullptr) return dict;
  for (const MetadataEntry& entry : metadata->entries()) {
    // Entries hold valid JSON by construction; a parse failure would be a bug upstream,
    // and the entry is then passed as its JSON text rather than dropped.
    Result<Value> value = jinja::ParseJson(entry.json);
    SetKey(dict, entry.key, value.has_value() ? std::move(*value) : Value::String(entry.json));
  }
  return dict;
}

std::string Position(const std::string& name, std::string_view text, size_t offset) {
  const TextPosition at = PositionOf(text, std::min(offset, text.size()));
  return name + ": rendered output line " + std::to_string(at.line) + ", column " +
         std::to_string(at.column);
}

// The shapes a template may render: the field that marks each and the format that reads
// it, checked in this order. The field decides, not the format's `matches`, so that a
// malformed conversation gets the reader's precise error ("messages[0].role: missing").
struct Shape {
  std::string_view field;
  std::string_view format;  ///< "" for prompt/completion, which no format reads
};
constexpr Shape kShapes[] = {{"messages", "openai"}, {"conversations", "sharegpt"}, {"instruction", "alpaca"},
                             {"prompt", ""}, {"completion", ""}, {"text", "jsonl"}};

Status ReadPromptCompletion(simdjson::dom::object object, Example& out) {
  TP_ASSIGN_OR_RETURN(std::string_view prompt, internal::RequireString(object, "prompt", "prompt"));
  TP_ASSIGN_OR_RETURN(std::string_view completion,
                      internal::RequireString(object, "completion", "completion"));
  out.kind = ExampleKind::kConversation;
  Message user;
  user.role = Role::kUser;
  user.content = prompt;
  Message assistant;
  assistant.role = Role::kAssistant;
  assistant.content = completion;
  out.messages = {std::move(user), std::move(assistant)};
  return internal::ReadMetadataField(object, out);
}

}  // namespace

RejectReason TemplateOutcome::Reason() const {
  switch (kind) {
    case Kind::kExample: return RejectReason::kInternalError;
    case Kind::kSkipped: return RejectReason::kTemplateSkipped;
    case Kind::kRenderError: return RejectReason::kTemplateError;
    case Kind::kInvalidOutput: return RejectReason::kInvalidTemplateOutput;
  }
  return RejectReason::kInternalError;
}

Value JsonToValue(element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      Value dict = Value::MakeDict();
      for (auto [key, child] : simdjson::dom::object(value)) SetKey(dict, key, JsonToValue(child));
      return dict;
    }
    case simdjson::dom::element_type::ARRAY: {
      std::vector<Value> items;
      for (element child : simdjson::dom::array(value)) items.push_back(JsonToValue(child));
      return Value::FromList(std::move(items));
    }
    case simdjson::dom::element_type::INT64: return Value::Int(int64_t(value));
    case simdjson::dom::element_type::UINT64: return Value::Float(static_cast<double>(uint64_t(value)));
    case simdjson::dom::element_type::DOUBLE: return Value::Float(double(value));
    case simdjson::dom::element_type::STRING: return Value::String(std::string(std::string_view(value)));
    case simdjson::dom::element_type::BOOL: return Value::Bool(bool(value));
    case simdjson::dom::element_type::NULL_VALUE: return Value::None();
  }
  return Value::None();
}

Value DocumentContext(const DocumentFields& fields) {
  Value context = Value::MakeDict();
  SetKey(context, "text", Value::String(std::string(fields.text)));
  SetKey(context, "title", Value::String(std::string(fields.title)));
  SetKey(context, "source", Value::String(fields.origin ? fields.origin->source : std::string()));
  std::vector<Value> headings;
  for (const std::string& heading : fields.heading_path) headings.push_back(Value::String(heading));
  SetKey(context, "heading_path", Value::FromList(std::move(headings)));
  std::string heading = fields.heading;
  if (heading.empty() && !fields.heading_path.empty()) heading = fields.heading_path.back();
  SetKey(context, "heading", Value::String(std::move(heading)));
  SetKey(context, "metadata", MetadataValue(fields.metadata));
  SetKey(context, "chunk_index", Value::Int(static_cast<int64_t>(fields.chunk_index)));
  SetKey(context, "chunk_count", Value::Int(static_cast<int64_t>(fields.chunk_count)));
  SetKey(context, "tokens", fields.tokens ? Value::Int(static_cast<int64_t>(fields.tokens)) : Value::None());
  SetKey(context, "record_index", Value::Int(fields.origin ? static_cast<int64_t>(fields.origin->record) : 0));
  SetKey(context, "line", Value::Int(fields.origin ? static_cast<int64_t>(fields.origin->line) : 0));
  return context;
}

Value RecordContext(simdjson::dom::object record, const Origin& origin) {
  Value context = Value::MakeDict();
  Value whole = Value::MakeDict();
  for (auto [key, child] : record) SetKey(whole, key, JsonToValue(child));
  // The variables and `record` share the values: Value copies are references.
  for (const auto& [key, value] : whole.as_dict().items) context.as_dict().Set(key, value);
  SetDefault(context, "record", whole);
  SetDefault(context, "source", Value::String(origin.source));
  SetDefault(context, "record_index", Value::Int(static_cast<int64_t>(origin.record)));
  SetDefault(context, "line", Value::Int(static_cast<int64_t>(origin.line)));
  return context;
}

Result<std::shared_ptr<const ExampleTemplate>> ExampleTemplate::Load(const std::string& path,
                                                                     std::vector<std::string> search_dirs) {
  Result<std::string> source = io::ReadWholeFile(path, kMaxTemplateBytes);
  if (!source.has_value()) {
    return Status(source.error().code(), OptionRef("template") + " " + path + ": " + source.error().message());
  }
  if (!IsValidUtf8(*source)) {
    return InvalidArgumentError(OptionRef("template") + " " + path + ": not UTF-8 text");
  }
  const std::string folder = std::filesystem::path(path).parent_path().string();
  search_dirs.push_back(folder.empty() ? "." : folder);
  return FromSource(*source, path, std::move(search_dirs));
}

Result<std::shared_ptr<const ExampleTemplate>> ExampleTemplate::FromSource(std::string_view source,
                                                                           std::string name,
                                                                           std::vector<std::string> search_dirs) {
  // Jinja2's default environment, as `tunepack render` uses: templates that shape
  // examples are written for Jinja2, not for a model's chat-template sandbox.
  jinja::TemplateOptions options;
  options.search_path = std::move(search_dirs);
  TP_ASSIGN_OR_RETURN(jinja::Template tmpl, jinja::Template::Parse(source, std::move(name), options));
  return std::shared_ptr<const ExampleTemplate>(new ExampleTemplate(std::move(tmpl), HashBytes(source).Hex()));
}

TemplateOutcome ExampleTemplate::Apply(const Value& context, simdjson::dom::parser& parser, Example& out) const {
  using Kind = TemplateOutcome::Kind;
  std::string rendered;
  Status status = template_.RenderTo(context, rendered);
  if (!status.ok()) return {Kind::kRenderError, status.message()};
  const size_t first = rendered.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {Kind::kSkipped, path() + ": the template rendered nothing for this input"};
  }
  element root;
  const simdjson::error_code error = parser.parse(rendered).get(root);
  if (error) {
    const JsonSyntaxError syntax = FindJsonSyntaxError(rendered);
    if (syntax.offset == std::string_view::npos) {
      return {Kind::kInvalidOutput, path() + ": rendered output is not valid JSON: " +
                                        std::string(simdjson::error_message(error))};
    }
    return {Kind::kInvalidOutput, Position(path(), rendered, syntax.offset) + ": rendered output is not " +
                                      "valid JSON: expected " + syntax.expected};
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return {Kind::kInvalidOutput, Position(path(), rendered, first) +
                                      ": rendered output must be one JSON object (an Example), not " +
                                      std::string(JsonTypeName(root))};
  }
  const Shape* shape = nullptr;
  for (const Shape& candidate : kShapes) {
    if (internal::FindField(object, candidate.field)) {
      shape = &candidate;
      break;
    }
  }
  if (shape == nullptr) {
    return {Kind::kInvalidOutput,
            path() + ": rendered output has no \"messages\", \"conversations\", \"instruction\", "
                     "\"prompt\"/\"completion\" or \"text\" field, so it is no Example"};
  }
  Example read;
  read.origin = out.origin;
  Status read_status;
  if (shape->format.empty()) {
    read_status = ReadPromptCompletion(object, read);
  } else {
    Result<const Format*> format = FindFormat(shape->format);
    read_status = format.has_value() ? (*format)->read(root, read) : format.error();
  }
  if (!read_status.ok()) {
    return {Kind::kInvalidOutput, path() + ": rendered output is not a valid " +
                                      (shape->format.empty() ? std::string("prompt/completion example: ")
                                                             : std::string(shape->format) + " record: ") +
                                      read_status.message()};
  }
  out.kind = read.kind;
  out.text = std::move(read.text);
  out.messages = std::move(read.messages);
  out.tools = std::move(read.tools);
  for (const MetadataEntry& entry : read.metadata.entries()) out.metadata.SetJson(entry.key, entry.json);
  return {Kind::kExample, {}};
}

}  // namespace tunepack::format
