// Messages in OpenAI's shape, read and written: shared by the openai format and the
// preference formats that hold OpenAI messages (openai-dpo, trl-preference, trl-kto).
#include "format/openai_messages.h"

#include "format/json_fields.h"
#include "format/tool_call_json.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

Status ReadToolCall(element value, const FieldPath& field, ToolCall& call) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> id,
                      OptionalString(object, "id", FieldPath(field, "id")));
  if (id) call.id = *id;
  const FieldPath type_field(field, "type");
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> type,
                      OptionalString(object, "type", type_field));
  if (type && *type != "function") {
    return FieldError(type_field, "must be \"function\", not \"" + std::string(*type) + "\"");
  }
  const FieldPath function_field(field, "function");
  std::optional<element> function = FindField(object, "function");
  if (!function) return FieldError(function_field, "missing");
  return ReadFunctionObject(*function, function_field, call);
}

Status ReadWeight(element value, const FieldPath& field, Message& message) {
  int64_t weight = -1;
  if (value.get_int64().get(weight) != simdjson::SUCCESS || (weight != 0 && weight != 1)) {
    return FieldError(field, "must be 0 or 1");
  }
  if (message.role != Role::kAssistant) return FieldError(field, "only assistant messages carry a weight");
  message.weight = static_cast<int>(weight);
  return Status::Ok();
}

}  // namespace

Status ReadOpenAiMessage(element value, const FieldPath& field, Message& message, Example& out,
                         std::vector<std::string>* images) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  static constexpr std::array<std::string_view, 6> kFields = {"role", "content", "name",
                                                              "tool_calls", "tool_call_id", "weight"};
  enum : size_t { kRole, kContent, kName, kToolCalls, kToolCallId, kWeight };
  const ObjectFields<kFields.size()> fields(object, kFields);
  if (fields.has_others()) {
    CollectUnreadNestedFields(object, {"role", "content", "name", "tool_calls", "tool_call_id", "weight"}, out,
                              field);
  }
  const FieldPath role_field(field, "role");
  TP_ASSIGN_OR_RETURN(std::string_view role_name, RequireString(fields.field(kRole), role_field));
  Result<Role> role = ParseRole(role_name);
  if (!role) {
    return FieldError(role_field, "unknown role '" + std::string(role_name) +
                                           "' (expected system, developer, user, assistant or tool)");
  }
  message.role = *role;

  // Tool calls first: whether content may be null depends on them.
  if (const std::optional<element>& calls = fields.field(kToolCalls); calls && !calls->is_null()) {
    const FieldPath calls_field(field, "tool_calls");
    if (message.role != Role::kAssistant) {
      return FieldError(calls_field, "only assistant messages make tool calls");
    }
    TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*calls, calls_field));
    message.tool_calls.reserve(array.size());
    for (element call_value : array) {
      ToolCall& call = message.tool_calls.emplace_back();
      TP_RETURN_IF_ERROR(
          ReadToolCall(call_value, FieldPath(calls_field, message.tool_calls.size() - 1), call));
    }
  }

  const FieldPath content_field(field, "content");
  const std::optional<element>& content = fields.field(kContent);
  if (!content || content->is_null()) {
    if (message.tool_calls.empty()) {
      return FieldError(content_field,
                        "missing; only an assistant message with tool_calls may leave it out");
    }
    message.has_content = false;
  } else if (content->is_array()) {
    if (images == nullptr) {
      return FieldError(content_field,
                        "content parts are read in the openai format only; here content must be one string");
    }
    TP_RETURN_IF_ERROR(ReadContentParts(content->get_array().value_unsafe(), content_field,
                                        message.content, *images));
  } else {
    TP_ASSIGN_OR_RETURN(std::string_view text, AsString(*content, content_field));
    message.content = text;
  }

  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> name, OptionalString(fields.field(kName), FieldPath(field, "name")));
  if (name) message.name = *name;
  if (const std::optional<element>& weight = fields.field(kWeight); weight && !weight->is_null()) {
    TP_RETURN_IF_ERROR(ReadWeight(*weight, FieldPath(field, "weight"), message));
  }
  const FieldPath tool_call_id_field(field, "tool_call_id");
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> tool_call_id,
                      OptionalString(fields.field(kToolCallId), tool_call_id_field));
  if (tool_call_id) {
    if (message.role != Role::kTool) {
      return FieldError(tool_call_id_field, "only tool messages answer a call");
    }
    message.tool_call_id = *tool_call_id;
  }
  return Status::Ok();
}

Status ReadOpenAiMessages(element value, const FieldPath& field, std::vector<Message>& messages,
                          Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(value, field));
  messages.reserve(messages.size() + array.size());
  size_t index = 0;
  for (element item : array) {
    Message& message = messages.emplace_back();
    TP_RETURN_IF_ERROR(ReadOpenAiMessage(item, FieldPath(field, index++), message, out));
  }
  return Status::Ok();
}

// Returns the tool schemas in OpenAI's shape, {"type": "function", "function": {...}}:
// LLaMA-Factory and others store the bare function {name, description, parameters}, which
// OpenAI's fine-tuning (and `tunepack validate`) rejects. Schemas already typed are kept.
Result<std::string> OpenAiToolSchemas(const std::string& tools) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::array schemas;
  if (parser.parse(tools).get_array().get(schemas) != simdjson::SUCCESS) {
    return FieldError("tools", "must be an array of tool schemas");
  }
  std::string out = "[";
  for (element schema : schemas) {
    if (out.size() > 1) out.push_back(',');
    const bool bare = !HasFieldOfType(schema, "type", simdjson::dom::element_type::STRING) &&
                      HasFieldOfType(schema, "name", simdjson::dom::element_type::STRING);
    if (bare) out += R"({"type":"function","function":)";
    out += MinifyJson(schema);
    if (bare) out.push_back('}');
  }
  out.push_back(']');
  return out;
}

// Key order: role, content, name, tool_calls, tool_call_id, weight. Absent fields are left
// out rather than written as null, so each column keeps one JSON type across rows.
void AppendOpenAiMessage(const Message& message, std::string& out, ImageCursor* images) {
  JsonObjectWriter object(out);
  object.String("role", RoleName(message.role));
  if (message.has_content) {
    if (images != nullptr && HasImagePlaceholder(message.content)) {
      AppendContentParts(message.content, *images, object.Key("content"));
    } else {
      object.String("content", message.content);
    }
  }
  if (!message.name.empty()) object.String("name", message.name);
  if (!message.tool_calls.empty()) {
    std::string& calls = object.Key("tool_calls");
    calls.push_back('[');
    for (size_t k = 0; k < message.tool_calls.size(); ++k) {
      const ToolCall& call = message.tool_calls[k];
      if (k > 0) calls.push_back(',');
      JsonObjectWriter call_object(calls);
      if (!call.id.empty()) call_object.String("id", call.id);
      call_object.String("type", "function");
      AppendFunctionWithStringArguments(call, call_object.Key("function"));
      call_object.Close();
    }
    calls.push_back(']');
  }
  if (!message.tool_call_id.empty()) object.String("tool_call_id", message.tool_call_id);
  if (message.weight) object.Int("weight", *message.weight);
  object.Close();
}

void AppendOpenAiMessages(const std::vector<Message>& messages, std::string& out, ImageCursor* images) {
  out.push_back('[');
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendOpenAiMessage(messages[i], out, images);
  }
  out.push_back(']');
}

}  // namespace tunepack::format::internal
