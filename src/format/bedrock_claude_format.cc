// bedrock-claude: {"system":"...","messages":[{"role":"user","content":"..."},
// {"role":"assistant","content":"..."}]}, the fine-tuning records of Claude on Amazon
// Bedrock. Reference: /work/shared/reference/formats.md section 7.1 (Anthropic's cookbook
// "Finetuning Claude 3 Haiku on Bedrock").
//
// Rules (docs/formats.md repeats them): "system" is optional and a string; at least two
// messages, the user's first and the assistant's last, user and assistant alternating;
// content is a string; no other keys. Reading takes any user/assistant order (validate
// --target bedrock-claude says what is wrong); writing refuses what Bedrock would refuse.
// Detection needs the top-level "system" string: without it a record is also an openai
// record, which reads the same.
#include "format/bedrock_turns.h"
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

bool Matches(element record) {
  std::string_view system;
  return record["system"].get_string().get(system) == simdjson::SUCCESS &&
         HasFieldOfType(record, "messages", simdjson::dom::element_type::ARRAY);
}

Status ReadMessage(element value, const FieldPath& field, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  TP_ASSIGN_OR_RETURN(Message * message, ReadBedrockMessageRole(object, field, "Bedrock's Claude records", out));
  TP_ASSIGN_OR_RETURN(std::string_view content, RequireString(object, "content", FieldPath(field, "content")));
  message->content = content;
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  out.kind = ExampleKind::kConversation;
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> system, OptionalString(object, "system", "system"));
  if (system) out.messages.push_back(TextMessage(Role::kSystem, std::string(*system)));
  std::optional<element> messages = FindField(object, "messages");
  if (!messages) return FieldError("messages", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*messages, "messages"));
  const FieldPath messages_field("messages");
  size_t index = 0;
  for (element value : array) TP_RETURN_IF_ERROR(ReadMessage(value, FieldPath(messages_field, index++), out));
  if (array.size() == 0) return FieldError("messages", "must not be empty");
  CollectUnreadFields(object, {"system", "messages"}, out);
  return Status::Ok();
}

Status Write(const Example& example, const WriteOptions&, std::string& out) {
  TP_RETURN_IF_ERROR(CheckTextConversation(example, "bedrock-claude"));
  const size_t first = LeadingSystemCount(example);
  if (first > 1) {
    return FailedPreconditionError("bedrock-claude holds one system string, and this example has " +
                                   std::to_string(first) +
                                   " system messages; joining them would change the prompt (use openai)");
  }
  TP_RETURN_IF_ERROR(CheckTurnRules(BedrockClaudeTurnRules(), example, "bedrock-claude"));
  std::string line;
  JsonObjectWriter record(line);
  if (first == 1) record.String("system", example.messages.front().content);
  std::string& messages = record.Key("messages");
  messages.push_back('[');
  for (size_t i = first; i < example.messages.size(); ++i) {
    if (i > first) messages.push_back(',');
    JsonObjectWriter message(messages);
    message.String("role", RoleName(example.messages[i].role));
    message.String("content", example.messages[i].content);
    message.Close();
  }
  messages.push_back(']');
  record.Close();
  line.push_back('\n');
  out += line;
  return Status::Ok();
}

}  // namespace

Format BedrockClaudeFormat() {
  Format format;
  format.name = "bedrock-claude";
  format.description =
      "Claude fine-tuning on Amazon Bedrock: {\"system\",\"messages\":[{\"role\",\"content\"}]}, user first, "
      "assistant last, alternating, no other keys";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  // Bedrock refuses any key besides "system" and "messages", so there is no place for one.
  format.holds_metadata = false;
  return format;
}

}  // namespace tunepack::format::internal
