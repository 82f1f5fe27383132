// TRL's unpaired preference datasets, for KTO and BCO (huggingface/trl
// docs/source/dataset_formats.md): one answer to a prompt and a boolean label saying
// whether it is desirable.
// - trl-kto: {"prompt":[msgs],"completion":[msgs],"label":true}, conversational;
// - trl-kto-text: {"prompt","completion"} strings and "label".
// Inside, the answer is the example's chosen side when the label is true and its rejected
// side when it is false, so statistics and checks see it as half of a pair.
// Reference: /work/shared/reference/formats.md section 5.
#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/openai_messages.h"
#include "format/preference_pair.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool MatchesMessages(element record) {
  return HasFieldOfType(record, "prompt", element_type::ARRAY) &&
         HasFieldOfType(record, "completion", element_type::ARRAY) &&
         HasFieldOfType(record, "label", element_type::BOOL);
}

bool MatchesText(element record) {
  return HasFieldOfType(record, "prompt", element_type::STRING) &&
         HasFieldOfType(record, "completion", element_type::STRING) &&
         HasFieldOfType(record, "label", element_type::BOOL);
}

Result<bool> ReadLabel(simdjson::dom::object object) {
  std::optional<element> label = FindField(object, "label");
  if (!label) return FieldError("label", "missing");
  bool value = false;
  if (label->get_bool().get(value) != simdjson::SUCCESS) {
    return FieldError("label", "must be true or false, not " + std::string(JsonTypeName(*label)));
  }
  return value;
}

Status ReadMessages(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(bool label, ReadLabel(object));
  out.kind = ExampleKind::kUnpairedPreference;
  std::optional<element> prompt = FindField(object, "prompt");
  if (!prompt) return FieldError("prompt", "missing");
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(*prompt, "prompt", out.messages, out));
  std::optional<element> completion = FindField(object, "completion");
  if (!completion) return FieldError("completion", "missing");
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(*completion, "completion", label ? out.chosen : out.rejected, out));
  if (label ? out.chosen.empty() : out.rejected.empty()) return FieldError("completion", "must not be empty");
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"prompt", "completion", "label", "tools", "metadata"}, out);
  TP_RETURN_IF_ERROR(ReadMetadataField(object, out));
  return ValidatePreference(out);
}

Status ReadText(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(bool label, ReadLabel(object));
  TP_ASSIGN_OR_RETURN(std::string_view prompt, RequireString(object, "prompt", "prompt"));
  TP_ASSIGN_OR_RETURN(std::string_view completion, RequireString(object, "completion", "completion"));
  out.kind = ExampleKind::kUnpairedPreference;
  out.messages.push_back(PlainMessage(Role::kUser, prompt));
  (label ? out.chosen : out.rejected).push_back(PlainMessage(Role::kAssistant, completion));
  CollectUnreadFields(object, {"prompt", "completion", "label", "metadata"}, out);
  return ReadMetadataField(object, out);
}

const std::vector<Message>& Answer(const Example& example) {
  return example.chosen.empty() ? example.rejected : example.chosen;
}

Status WriteMessages(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireUnpairedPreference(example, "trl-kto"));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  JsonObjectWriter record(out);
  AppendOpenAiMessages(example.messages, record.Key("prompt"));
  AppendOpenAiMessages(Answer(example), record.Key("completion"));
  record.Bool("label", !example.chosen.empty());
  if (!example.tools.empty()) record.Raw("tools", example.tools);
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

Status WriteText(const Example& example, const WriteOptions& options, std::string& out) {
  constexpr std::string_view kName = "trl-kto-text";
  TP_RETURN_IF_ERROR(RequireUnpairedPreference(example, kName));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  TP_RETURN_IF_ERROR(CheckPlainPrompt(example, kName));
  TP_RETURN_IF_ERROR(CheckPlainAnswer(Answer(example), "completion", kName));
  JsonObjectWriter record(out);
  record.String("prompt", example.messages[0].content);
  record.String("completion", Answer(example)[0].content);
  record.Bool("label", !example.chosen.empty());
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format TrlKtoFormat() {
  Format format;
  format.name = "trl-kto";
  format.description =
      "TRL unpaired preference JSONL (KTO), conversational: {\"prompt\":[msgs],\"completion\":[msgs],\"label\"}";
  format.extension = ".jsonl";
  format.matches = MatchesMessages;
  format.read = ReadMessages;
  format.write = WriteMessages;
  format.preference = true;
  return format;
}

Format TrlKtoTextFormat() {
  Format format;
  format.name = "trl-kto-text";
  format.description = "TRL unpaired preference JSONL (KTO), standard: {\"prompt\",\"completion\"} strings, \"label\"";
  format.extension = ".jsonl";
  format.matches = MatchesText;
  format.read = ReadText;
  format.write = WriteText;
  format.preference = true;
  return format;
}

}  // namespace tunepack::format::internal
