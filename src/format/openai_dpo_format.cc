// openai-dpo: {"input":{"messages":[...],"tools":[...],"parallel_tool_calls":bool},
// "preferred_output":[assistant msgs],"non_preferred_output":[assistant msgs]}, OpenAI's
// direct preference optimisation file (also Together's and Fireworks' preference format).
// Reference: /work/shared/reference/formats.md section 1.3.
//
// "input.parallel_tool_calls" and the other fields of "input" tunepack does not model are
// written back as they were read. An empty "tools" list is no tools, left out on writing,
// as the openai format does.
#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/openai_messages.h"
#include "format/preference_pair.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kName = "openai-dpo";
constexpr std::string_view kCarriedInput = "input.parallel_tool_calls";

bool Matches(element record) {
  element input;
  return record["input"].get(input) == simdjson::SUCCESS &&
         HasFieldOfType(input, "messages", simdjson::dom::element_type::ARRAY) &&
         HasFieldOfType(record, "preferred_output", simdjson::dom::element_type::ARRAY);
}

Status ReadSide(simdjson::dom::object object, std::string_view key, std::vector<Message>& side, Example& out) {
  std::optional<element> value = FindField(object, key);
  if (!value) return FieldError(key, "missing");
  return ReadOpenAiMessages(*value, key, side, out);
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  std::optional<element> input_value = FindField(object, "input");
  if (!input_value) return FieldError("input", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::object input, AsObject(*input_value, "input"));
  out.kind = ExampleKind::kPreference;
  const FieldPath input_field("input");
  std::optional<element> messages = FindField(input, "messages");
  if (!messages) return FieldError(FieldPath(input_field, "messages"), "missing");
  TP_RETURN_IF_ERROR(ReadOpenAiMessages(*messages, FieldPath(input_field, "messages"), out.messages, out));
  if (std::optional<element> tools = FindField(input, "tools"); tools && !tools->is_null() && !tools->is_array()) {
    return FieldError(FieldPath(input_field, "tools"),
                      "must be an array of tool schemas, not " + std::string(JsonTypeName(*tools)));
  }
  TP_RETURN_IF_ERROR(ReadToolsField(input, out));
  CollectUnreadFields(input, {"messages", "tools"}, out, "input.");
  TP_RETURN_IF_ERROR(ReadSide(object, "preferred_output", out.chosen, out));
  TP_RETURN_IF_ERROR(ReadSide(object, "non_preferred_output", out.rejected, out));
  CollectUnreadFields(object, {"input", "preferred_output", "non_preferred_output", "metadata"}, out);
  TP_RETURN_IF_ERROR(ReadMetadataField(object, out));
  return ValidatePreference(out);
}

Status CheckAssistantOnly(const std::vector<Message>& side, std::string_view name) {
  for (size_t i = 0; i < side.size(); ++i) {
    if (side[i].role != Role::kAssistant) {
      return FailedPreconditionError(std::string(kName) + " holds assistant messages as outputs, and " +
                                     std::string(name) + "[" + std::to_string(i) + "] has role " +
                                     std::string(RoleName(side[i].role)) +
                                     " (use trl-preference, whose answers may hold any turns)");
    }
  }
  return Status::Ok();
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequirePreferencePair(example, kName));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  TP_RETURN_IF_ERROR(CheckAssistantOnly(example.chosen, "chosen"));
  TP_RETURN_IF_ERROR(CheckAssistantOnly(example.rejected, "rejected"));
  if (example.messages.empty()) {
    return FailedPreconditionError(std::string(kName) +
                                   " needs input messages, and this pair has no prompt (its answers "
                                   "share no message)");
  }
  std::string tools;
  if (!example.tools.empty()) {
    TP_ASSIGN_OR_RETURN(tools, OpenAiToolSchemas(example.tools));
  }
  JsonObjectWriter record(out);
  {
    std::string& input_json = record.Key("input");
    JsonObjectWriter input(input_json);
    AppendOpenAiMessages(example.messages, input.Key("messages"));
    if (!tools.empty()) input.Raw("tools", tools);
    for (const MetadataEntry& entry : example.unread_fields.entries()) {
      if (entry.key == kCarriedInput) input.Raw(entry.key.substr(6), entry.json);
    }
    input.Close();
  }
  AppendOpenAiMessages(example.chosen, record.Key("preferred_output"));
  AppendOpenAiMessages(example.rejected, record.Key("non_preferred_output"));
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format OpenAiDpoFormat() {
  Format format;
  format.name = std::string(kName);
  format.description =
      "OpenAI DPO JSONL: {\"input\":{\"messages\",\"tools\"},\"preferred_output\",\"non_preferred_output\"}";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = {std::string(kCarriedInput)};
  format.preference = true;
  return format;
}

}  // namespace tunepack::format::internal
