// TRL's preference datasets (huggingface/trl docs/source/dataset_formats.md), for DPO, ORPO,
// CPO and reward modelling:
// - trl-preference: {"prompt":[msgs],"chosen":[msgs],"rejected":[msgs]}, conversational
//   with an explicit prompt, optional top-level "tools";
// - trl-preference-implicit: {"chosen":[msgs],"rejected":[msgs]}, each side the whole
//   conversation; the prompt is the messages both share (never all of either);
// - trl-preference-text: {"prompt","chosen","rejected"} strings ("standard"), read as one
//   user turn and one assistant answer per side, written only from such pairs.
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

bool Has(element record, std::string_view key, element_type type) { return HasFieldOfType(record, key, type); }

bool MatchesExplicit(element record) {
  return Has(record, "prompt", element_type::ARRAY) && Has(record, "chosen", element_type::ARRAY) &&
         Has(record, "rejected", element_type::ARRAY);
}

bool MatchesImplicit(element record) {
  simdjson::dom::object object;
  return record.get_object().get(object) == simdjson::SUCCESS && !FindField(object, "prompt") &&
         Has(record, "chosen", element_type::ARRAY) && Has(record, "rejected", element_type::ARRAY);
}

bool MatchesText(element record) {
  return Has(record, "prompt", element_type::STRING) && Has(record, "chosen", element_type::STRING) &&
         Has(record, "rejected", element_type::STRING);
}

Result<element> Required(simdjson::dom::object object, std::string_view key) {
  std::optional<element> value = FindField(object, key);
  if (!value) return FieldError(key, "missing");
  return *value;
}

Status ReadSides(simdjson::dom::object object, Example& out) {
  TP_ASSIGN_OR_RETURN(element chosen, Required(object, "chosen"));
  TP_ASSIGN_OR_RETURN(element rejected, Required(object, "rejected"));
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(chosen, "chosen", out.chosen, out));
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(rejected, "rejected", out.rejected, out));
  return Status::Ok();
}

Status Finish(simdjson::dom::object object, Example& out) {
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"prompt", "chosen", "rejected", "tools", "metadata"}, out);
  TP_RETURN_IF_ERROR(ReadMetadataField(object, out));
  return ValidatePreference(out);
}

Status ReadExplicit(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  out.kind = ExampleKind::kPreference;
  TP_ASSIGN_OR_RETURN(element prompt, Required(object, "prompt"));
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(prompt, "prompt", out.messages, out));
  TP_RETURN_IF_ERROR(ReadSides(object, out));
  return Finish(object, out);
}

Status ReadImplicit(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_RETURN_IF_ERROR(ReadSides(object, out));
  SplitImplicitPrompt(std::move(out.chosen), std::move(out.rejected), out);
  return Finish(object, out);
}

Status ReadText(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view prompt, RequireString(object, "prompt", "prompt"));
  TP_ASSIGN_OR_RETURN(std::string_view chosen, RequireString(object, "chosen", "chosen"));
  TP_ASSIGN_OR_RETURN(std::string_view rejected, RequireString(object, "rejected", "rejected"));
  out.kind = ExampleKind::kPreference;
  out.messages.push_back(PlainMessage(Role::kUser, prompt));
  out.chosen.push_back(PlainMessage(Role::kAssistant, chosen));
  out.rejected.push_back(PlainMessage(Role::kAssistant, rejected));
  CollectUnreadFields(object, {"prompt", "chosen", "rejected", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Start(const Example& example, std::string_view format) {
  TP_RETURN_IF_ERROR(RequirePreferencePair(example, format));
  return ValidatePreference(example);
}

void End(JsonObjectWriter& record, const Example& example, const WriteOptions& options, std::string& out) {
  if (!example.tools.empty()) record.Raw("tools", example.tools);
  FinishJsonlRecord(record, example, options, out);
}

Status WriteExplicit(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(Start(example, "trl-preference"));
  JsonObjectWriter record(out);
  AppendOpenAiMessages(example.messages, record.Key("prompt"));
  AppendOpenAiMessages(example.chosen, record.Key("chosen"));
  AppendOpenAiMessages(example.rejected, record.Key("rejected"));
  End(record, example, options, out);
  return Status::Ok();
}

Status WriteImplicit(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(Start(example, "trl-preference-implicit"));
  TP_RETURN_IF_ERROR(CheckImplicitPromptKept(example, "trl-preference-implicit"));
  JsonObjectWriter record(out);
  AppendOpenAiMessages(Joined(example.messages, example.chosen), record.Key("chosen"));
  AppendOpenAiMessages(Joined(example.messages, example.rejected), record.Key("rejected"));
  End(record, example, options, out);
  return Status::Ok();
}

Status WriteText(const Example& example, const WriteOptions& options, std::string& out) {
  constexpr std::string_view kName = "trl-preference-text";
  TP_RETURN_IF_ERROR(Start(example, kName));
  TP_RETURN_IF_ERROR(CheckPlainPrompt(example, kName));
  TP_RETURN_IF_ERROR(CheckPlainAnswer(example.chosen, "chosen", kName));
  TP_RETURN_IF_ERROR(CheckPlainAnswer(example.rejected, "rejected", kName));
  JsonObjectWriter record(out);
  record.String("prompt", example.messages[0].content);
  record.String("chosen", example.chosen[0].content);
  record.String("rejected", example.rejected[0].content);
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

Format Make(std::string name, std::string description, bool (*matches)(element),
            Status (*read)(element, Example&),
            Status (*write)(const Example&, const WriteOptions&, std::string&)) {
  Format format;
  format.name = std::move(name);
  format.description = std::move(description);
  format.extension = ".jsonl";
  format.matches = matches;
  format.read = read;
  format.write = write;
  format.preference = true;
  return format;
}

}  // namespace

Format TrlPreferenceFormat() {
  return Make("trl-preference",
              "TRL preference JSONL, conversational: {\"prompt\":[msgs],\"chosen\":[msgs],\"rejected\":[msgs]}",
              MatchesExplicit, ReadExplicit, WriteExplicit);
}

Format TrlPreferenceImplicitFormat() {
  return Make("trl-preference-implicit",
              "TRL preference JSONL, implicit prompt: {\"chosen\":[msgs],\"rejected\":[msgs]}, each the "
              "whole conversation",
              MatchesImplicit, ReadImplicit, WriteImplicit);
}

Format TrlPreferenceTextFormat() {
  return Make("trl-preference-text",
              "TRL preference JSONL, standard: {\"prompt\",\"chosen\",\"rejected\"} strings",
              MatchesText, ReadText, WriteText);
}

}  // namespace tunepack::format::internal
