// bedrock-nova: {"schemaVersion":"bedrock-conversation-2024","system":[{"text":"..."}],
// "messages":[{"role":"user","content":[{"text":"..."}]},...]}, Amazon Bedrock's conversation
// schema (Nova fine-tuning and distillation). Reference: /work/shared/reference/formats.md
// section 7.1 (docs.aws.amazon.com/bedrock/latest/userguide/preparing-text-data.html).
//
// Each system text part is one system message at the start; each message holds one text
// part (several would have to be joined, which erases their boundaries, so they are
// refused on reading, as are image, video and tool parts). Roles are user and assistant.
#include "format/bedrock_turns.h"
#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/text_parts.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kSchemaVersion = "bedrock-conversation-2024";

bool Matches(element record) {
  std::string_view version;
  return record["schemaVersion"].get_string().get(version) == simdjson::SUCCESS &&
         HasFieldOfType(record, "messages", simdjson::dom::element_type::ARRAY);
}

Status ReadMessage(element value, const FieldPath& field, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  TP_ASSIGN_OR_RETURN(Message * message, ReadBedrockMessageRole(object, field, "the Bedrock conversation schema", out));
  const FieldPath content_field(field, "content");
  std::optional<element> content = FindField(object, "content");
  if (!content) return FieldError(content_field, "missing");
  return ReadSingleTextPart(*content, content_field, message->content);
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view version, RequireString(object, "schemaVersion", "schemaVersion"));
  if (version != kSchemaVersion) {
    return FieldError("schemaVersion", "must be \"" + std::string(kSchemaVersion) + "\", not \"" +
                                           std::string(version) + "\"");
  }
  out.kind = ExampleKind::kConversation;
  if (std::optional<element> system = FindField(object, "system"); system && !system->is_null()) {
    std::vector<std::string> texts;
    TP_RETURN_IF_ERROR(ReadTextParts(*system, "system", texts));
    for (std::string& text : texts) out.messages.push_back(TextMessage(Role::kSystem, std::move(text)));
  }
  std::optional<element> messages = FindField(object, "messages");
  if (!messages) return FieldError("messages", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*messages, "messages"));
  if (array.size() == 0) return FieldError("messages", "must not be empty");
  const FieldPath messages_field("messages");
  size_t index = 0;
  for (element value : array) TP_RETURN_IF_ERROR(ReadMessage(value, FieldPath(messages_field, index++), out));
  CollectUnreadFields(object, {"schemaVersion", "system", "messages", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(CheckTextConversation(example, "bedrock-nova"));
  const size_t first = LeadingSystemCount(example);
  std::string line;
  JsonObjectWriter record(line);
  record.String("schemaVersion", kSchemaVersion);
  if (first > 0) {
    std::vector<std::string> system;
    for (size_t i = 0; i < first; ++i) system.push_back(example.messages[i].content);
    AppendTextParts(system, record.Key("system"));
  }
  std::string& messages = record.Key("messages");
  messages.push_back('[');
  for (size_t i = first; i < example.messages.size(); ++i) {
    if (i > first) messages.push_back(',');
    JsonObjectWriter message(messages);
    message.String("role", RoleName(example.messages[i].role));
    AppendSingleTextPart(example.messages[i].content, message.Key("content"));
    message.Close();
  }
  messages.push_back(']');
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

Format BedrockNovaFormat() {
  Format format;
  format.name = "bedrock-nova";
  format.description =
      "Amazon Bedrock conversation schema (Nova): {\"schemaVersion\":\"bedrock-conversation-2024\",\"system\":[{\"text\"}],"
      "\"messages\":[{\"role\",\"content\":[{\"text\"}]}]}";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  return format;
}

}  // namespace tunepack::format::internal
