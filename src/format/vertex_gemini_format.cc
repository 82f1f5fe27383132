// vertex-gemini: {"systemInstruction":{"role":"system","parts":[{"text":"..."}]},
// "contents":[{"role":"user","parts":[{"text":"..."}]},{"role":"model","parts":[...]}]},
// Gemini supervised tuning on Vertex AI. Reference: /work/shared/reference/formats.md
// section 7.2 (cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare).
//
// Roles are user and model (tunepack's assistant). Each systemInstruction part is one
// system message at the start; Vertex ignores systemInstruction's role, and tunepack writes
// "system". Each content holds one text part: several would have to be joined, and
// fileData / functionCall parts are not read yet, so those are refused on reading. A
// top-level "tools" (Gemini's function declarations, not OpenAI's schemas) is carried as it
// was read.
#include "format/bedrock_turns.h"
#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/text_parts.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

const std::vector<std::string>& CarriedFields() {
  static const std::vector<std::string> fields = {"tools"};
  return fields;
}

bool Matches(element record) {
  simdjson::dom::array contents;
  if (record["contents"].get_array().get(contents) != simdjson::SUCCESS) return false;
  for (element content : contents) {
    return HasFieldOfType(content, "parts", simdjson::dom::element_type::ARRAY);
  }
  return false;
}

Status ReadContent(element value, const FieldPath& field, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  CollectUnreadNestedFields(object, {"role", "parts"}, out, field);
  const FieldPath role_field(field, "role");
  TP_ASSIGN_OR_RETURN(std::string_view role, RequireString(object, "role", role_field));
  Message& message = out.messages.emplace_back();
  if (role == "user") {
    message.role = Role::kUser;
  } else if (role == "model") {
    message.role = Role::kAssistant;
  } else {
    return FieldError(role_field, "unknown role '" + std::string(role) +
                                      "' (Gemini's contents have user and model; the system prompt is "
                                      "\"systemInstruction\")");
  }
  const FieldPath parts_field(field, "parts");
  std::optional<element> parts = FindField(object, "parts");
  if (!parts) return FieldError(parts_field, "missing");
  return ReadSingleTextPart(*parts, parts_field, message.content);
}

Status ReadSystemInstruction(element value, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, "systemInstruction"));
  // Its role is ignored by Vertex (any string is accepted); other keys are kept.
  CollectUnreadFields(object, {"role", "parts"}, out, "systemInstruction.");
  TP_RETURN_IF_ERROR(OptionalString(object, "role", "systemInstruction.role").status());
  std::optional<element> parts = FindField(object, "parts");
  if (!parts) return FieldError("systemInstruction.parts", "missing");
  std::vector<std::string> texts;
  TP_RETURN_IF_ERROR(ReadTextParts(*parts, "systemInstruction.parts", texts));
  for (std::string& text : texts) out.messages.push_back(TextMessage(Role::kSystem, std::move(text)));
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  out.kind = ExampleKind::kConversation;
  if (std::optional<element> system = FindField(object, "systemInstruction"); system && !system->is_null()) {
    TP_RETURN_IF_ERROR(ReadSystemInstruction(*system, out));
  }
  std::optional<element> contents = FindField(object, "contents");
  if (!contents) return FieldError("contents", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*contents, "contents"));
  if (array.size() == 0) return FieldError("contents", "must not be empty");
  const FieldPath contents_field("contents");
  size_t index = 0;
  for (element value : array) TP_RETURN_IF_ERROR(ReadContent(value, FieldPath(contents_field, index++), out));
  CollectUnreadFields(object, {"systemInstruction", "contents", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(CheckTextConversation(example, "vertex-gemini"));
  const size_t first = LeadingSystemCount(example);
  std::string line;
  JsonObjectWriter record(line);
  if (first > 0) {
    std::vector<std::string> system;
    for (size_t i = 0; i < first; ++i) system.push_back(example.messages[i].content);
    JsonObjectWriter instruction(record.Key("systemInstruction"));
    instruction.String("role", "system");
    AppendTextParts(system, instruction.Key("parts"));
    instruction.Close();
  }
  std::string& contents = record.Key("contents");
  contents.push_back('[');
  for (size_t i = first; i < example.messages.size(); ++i) {
    if (i > first) contents.push_back(',');
    JsonObjectWriter content(contents);
    content.String("role", example.messages[i].role == Role::kUser ? "user" : "model");
    AppendSingleTextPart(example.messages[i].content, content.Key("parts"));
    content.Close();
  }
  contents.push_back(']');
  WriteCarriedFields(record, example, CarriedFields());
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

Format VertexGeminiFormat() {
  Format format;
  format.name = "vertex-gemini";
  format.description =
      "Gemini tuning on Vertex AI: {\"systemInstruction\":{\"parts\"},\"contents\":[{\"role\":\"user\"|\"model\","
      "\"parts\":[{\"text\"}]}]}";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = CarriedFields();
  return format;
}

}  // namespace tunepack::format::internal
