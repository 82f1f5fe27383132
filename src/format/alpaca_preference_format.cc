// alpaca-preference: LLaMA-Factory's ranking data in alpaca form,
// {"instruction","input","chosen","rejected","system","history"} ("ranking": true in its
// dataset_info.json): the prompt as alpaca reads it (alpaca_prompt.h), each answer a string.
// Reference: /work/shared/reference/formats.md section 2.1.
#include "format/alpaca_prompt.h"
#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/preference_pair.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kName = "alpaca-preference";

bool Matches(element record) {
  return HasFieldOfType(record, "instruction", element_type::STRING) &&
         HasFieldOfType(record, "chosen", element_type::STRING) &&
         HasFieldOfType(record, "rejected", element_type::STRING);
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view chosen, RequireString(object, "chosen", "chosen"));
  TP_ASSIGN_OR_RETURN(std::string_view rejected, RequireString(object, "rejected", "rejected"));
  out.kind = ExampleKind::kPreference;
  TP_RETURN_IF_ERROR(ReadAlpacaPrompt(object, out));
  out.chosen.push_back(PlainMessage(Role::kAssistant, chosen));
  out.rejected.push_back(PlainMessage(Role::kAssistant, rejected));
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"instruction", "input", "chosen", "rejected", "system", "history", "tools", "metadata"},
                      out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequirePreferencePair(example, kName));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  TP_RETURN_IF_ERROR(CheckAlpacaPrompt(example.messages, kName));
  for (const Message& message : example.messages) {
    if (!message.name.empty() || !message.tool_calls.empty() || (message.weight && *message.weight == 0)) {
      return FailedPreconditionError(std::string(kName) +
                                     " holds the prompt's turns as strings, and a turn has a name, "
                                     "tool calls or weight 0 (use trl-preference or openai-dpo)");
    }
  }
  TP_RETURN_IF_ERROR(CheckPlainAnswer(example.chosen, "chosen", kName));
  TP_RETURN_IF_ERROR(CheckPlainAnswer(example.rejected, "rejected", kName));
  JsonObjectWriter record(out);
  record.String("instruction", example.messages.back().content);
  record.String("input", "");
  record.String("chosen", example.chosen[0].content);
  record.String("rejected", example.rejected[0].content);
  AppendAlpacaSystemAndHistory(example.messages, record);
  if (!example.tools.empty()) record.String("tools", example.tools);
  WriteCarriedFields(record, example, MediaFields());
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format AlpacaPreferenceFormat() {
  Format format;
  format.name = std::string(kName);
  format.description =
      "LLaMA-Factory ranking JSONL, alpaca form: instruction/input with \"chosen\"/\"rejected\" strings";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = MediaFields();
  format.preference = true;
  return format;
}

}  // namespace tunepack::format::internal
