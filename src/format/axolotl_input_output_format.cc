// axolotl-input-output: {"segments":[{"label":false,"text":"..."},{"label":true,"text":"..."}]},
// axolotl's template-free format: the segments are concatenated as they are (no BOS, EOS or
// template added) and only label:true segments are trained on. Reference:
// /work/shared/reference/formats.md section 6.1 (docs.axolotl.ai/docs/dataset-formats/template_free.html).
//
// Inside, a label:false segment is a user message and a label:true segment an assistant
// message, so the training mask survives a conversion to openai and back. The text is raw
// both ways: a conversation written here gets no chat template (render one with the
// chat-template format when the model needs its template's tokens). System and tool turns
// have no segment kind of their own and are refused, as is weight 0 (a label:false
// assistant segment would read back as a user turn).
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

bool Matches(element record) {
  return HasFieldOfType(record, "segments", simdjson::dom::element_type::ARRAY);
}

Status ReadSegment(element value, const FieldPath& field, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(value, field));
  CollectUnreadNestedFields(object, {"label", "text"}, out, field);
  const FieldPath label_field(field, "label");
  std::optional<element> label = FindField(object, "label");
  if (!label) return FieldError(label_field, "missing");
  bool trained = false;
  if (label->get_bool().get(trained) != simdjson::SUCCESS) {
    return FieldError(label_field, "must be true or false, not " + std::string(JsonTypeName(*label)));
  }
  TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(object, "text", FieldPath(field, "text")));
  out.messages.push_back(TextMessage(trained ? Role::kAssistant : Role::kUser, std::string(text)));
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  std::optional<element> segments = FindField(object, "segments");
  if (!segments) return FieldError("segments", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array array, AsArray(*segments, "segments"));
  if (array.size() == 0) return FieldError("segments", "must not be empty");
  out.kind = ExampleKind::kConversation;
  const FieldPath segments_field("segments");
  size_t index = 0;
  for (element value : array) TP_RETURN_IF_ERROR(ReadSegment(value, FieldPath(segments_field, index++), out));
  CollectUnreadFields(object, {"segments", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "axolotl-input-output"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  for (size_t i = 0; i < example.messages.size(); ++i) {
    if (example.messages[i].role == Role::kSystem) {
      return FailedPreconditionError(
          "axolotl-input-output has only trained and untrained segments, and " + MessageField(i) +
          " is a system message, which would read back as a user turn (use openai, or put the system text in the "
          "first user turn yourself)");
    }
  }
  TP_RETURN_IF_ERROR(CheckRepresentable(example, {}, "axolotl-input-output"));
  std::string line;
  JsonObjectWriter record(line);
  std::string& segments = record.Key("segments");
  segments.push_back('[');
  for (size_t i = 0; i < example.messages.size(); ++i) {
    if (i > 0) segments.push_back(',');
    JsonObjectWriter segment(segments);
    segment.Bool("label", example.messages[i].role == Role::kAssistant);
    segment.String("text", example.messages[i].content);
    segment.Close();
  }
  segments.push_back(']');
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

Format AxolotlInputOutputFormat() {
  Format format;
  format.name = "axolotl-input-output";
  format.description =
      "axolotl template-free: {\"segments\":[{\"label\":bool,\"text\"}]}, concatenated as is, label:true trained";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  return format;
}

}  // namespace tunepack::format::internal
