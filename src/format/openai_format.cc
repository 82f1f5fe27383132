// openai: {"messages":[{"role","content"},...],"tools":[...]}, the chat format of OpenAI
// fine-tuning (also Together, Fireworks, Mistral, TRL "conversational"). It is tunepack's
// inner message model, so it is the one chat format that converts without loss.
// Reference: /work/shared/reference/formats.md section 1.1.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/openai_messages.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

// Top-level fields of OpenAI's fine-tuning format that tunepack does not model but writes
// back as they were read.
const std::vector<std::string>& CarriedFields() {
  static const std::vector<std::string> fields = {"parallel_tool_calls", "functions"};
  return fields;
}

bool Matches(element record) {
  simdjson::dom::array messages;
  if (record["messages"].get_array().get(messages) != simdjson::SUCCESS) return false;
  // The first message decides: an object with a string "role".
  for (element message : messages) {
    std::string_view role;
    return message["role"].get_string().get(role) == simdjson::SUCCESS;
  }
  return false;
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  std::optional<element> messages = FindField(object, "messages");
  if (!messages) return FieldError("messages", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*messages, "messages"));
  out.kind = ExampleKind::kConversation;
  out.messages.reserve(array.size());
  const FieldPath messages_field("messages");
  for (element value : array) {
    Message& message = out.messages.emplace_back();
    TP_RETURN_IF_ERROR(
        ReadOpenAiMessage(value, FieldPath(messages_field, out.messages.size() - 1), message, out));
  }
  if (out.messages.empty()) return FieldError("messages", "must not be empty");
  if (std::optional<element> tools = FindField(object, "tools"); tools && !tools->is_null()) {
    if (!tools->is_array()) {
      return FieldError("tools", "must be an array of tool schemas, not " +
                                     std::string(JsonTypeName(*tools)));
    }
    TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  }
  CollectUnreadFields(object, {"messages", "tools", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "openai"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  std::string tools;
  if (!example.tools.empty()) {
    TP_ASSIGN_OR_RETURN(tools, OpenAiToolSchemas(example.tools));
  }
  JsonObjectWriter record(out);
  AppendOpenAiMessages(example.messages, record.Key("messages"));
  if (!tools.empty()) record.Raw("tools", tools);
  WriteCarriedFields(record, example, CarriedFields());
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format OpenAiFormat() {
  Format format;
  format.name = "openai";
  format.description =
      "OpenAI chat JSONL: {\"messages\":[{\"role\",\"content\"}]} with tools, tool calls, weights";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = CarriedFields();
  return format;
}

}  // namespace tunepack::format::internal
