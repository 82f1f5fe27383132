// openai: {"messages":[{"role","content"},...],"tools":[...]}, the chat format of OpenAI
// fine-tuning (also Together, Fireworks, Mistral, TRL "conversational"). It is tunepack's
// inner message model, so it is the one chat format that converts without loss.
// Reference: /work/shared/reference/formats.md section 1.1.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/openai_checks.h"
#include "format/openai_messages.h"
#include "format/plain_turns.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/format/media.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

// Top-level fields of OpenAI's fine-tuning format that tunepack does not model but writes
// back as they were read.
const std::vector<std::string>& CarriedFields() {
  static const std::vector<std::string> fields = {"parallel_tool_calls", "functions"};
  return fields;
}

// The urls of a record's image parts become its "images" list, as a LLaMA-Factory record
// holds them, so that every format that carries images reads the same example.
Status KeepImageParts(simdjson::dom::object record, const std::vector<std::string>& images, Example& out) {
  if (FindField(record, "images")) {
    return FieldError("images", "a record with image parts must not also have an \"images\" list: "
                                "which one holds its images would be a guess");
  }
  std::string list = "[";
  for (const std::string& url : images) {
    if (list.size() > 1) list.push_back(',');
    AppendJsonString(list, url);
  }
  list.push_back(']');
  out.unread_fields.SetJson("images", std::move(list));
  if (CountPlaceholders(out, "<image>") != images.size()) {
    return FieldError("messages", "a text holds \"<image>\", which marks where an image part goes; "
                                  "the record is refused rather than misread");
  }
  return Status::Ok();
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
  std::vector<std::string> images;
  for (element value : array) {
    Message& message = out.messages.emplace_back();
    TP_RETURN_IF_ERROR(ReadOpenAiMessage(value, FieldPath(messages_field, out.messages.size() - 1),
                                         message, out, &images));
  }
  if (out.messages.empty()) return FieldError("messages", "must not be empty");
  if (!images.empty()) TP_RETURN_IF_ERROR(KeepImageParts(object, images, out));
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
  TP_ASSIGN_OR_RETURN(std::vector<std::string> images, MediaReferences(example, MediaKinds()[0]));
  if (!images.empty()) TP_RETURN_IF_ERROR(CheckPlaceholderCount(example, MediaKinds()[0], images.size()));
  ImageCursor cursor{images};
  JsonObjectWriter record(out);
  AppendOpenAiMessages(example.messages, record.Key("messages"), images.empty() ? nullptr : &cursor);
  if (!tools.empty()) record.Raw("tools", tools);
  WriteCarriedFields(record, example, CarriedFields());
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

// A plain role: any role ParseRole reads ("developer" as system).
std::optional<Role> PlainRole(std::string_view name) {
  Result<Role> role = ParseRole(name);
  return role ? std::optional<Role>(*role) : std::nullopt;
}

}  // namespace

PlainTurnShape OpenAiPlainShape() { return {"openai", "messages", "role", "content", "name", PlainRole}; }

Format OpenAiFormat() {
  Format format;
  format.name = "openai";
  format.description =
      "OpenAI chat JSONL: {\"messages\":[{\"role\",\"content\"}]} with tools, tool calls, weights";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.reads_back_as_written = true;
  // "images" is carried as content parts, not as a field of its own.
  format.carried_fields = CarriedFields();
  format.carried_fields.emplace_back("images");
  format.checks = OpenAiChecks();
  return format;
}

}  // namespace tunepack::format::internal
