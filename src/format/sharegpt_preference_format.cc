// sharegpt-preference: LLaMA-Factory's ranking data in sharegpt form,
// {"conversations":[...the prompt, ending with a human turn...],"chosen":{"from":"gpt","value"},
// "rejected":{"from":"gpt","value"}} ("ranking": true in its dataset_info.json). Each answer
// is one turn, gpt or function_call. Turns read and write as in sharegpt (sharegpt_turns.h),
// and the prompt followed by either answer must be a conversation LLaMA-Factory accepts.
// Reference: /work/shared/reference/formats.md section 3.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/preference_pair.h"
#include "format/sharegpt_turns.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kName = "sharegpt-preference";

bool Matches(element record) {
  return HasFieldOfType(record, "conversations", element_type::ARRAY) &&
         HasFieldOfType(record, "chosen", element_type::OBJECT) &&
         HasFieldOfType(record, "rejected", element_type::OBJECT);
}

Status ReadAnswer(simdjson::dom::object object, std::string_view key, size_t calls_so_far,
                  std::vector<Message>& side, Example& out) {
  std::optional<element> value = FindField(object, key);
  if (!value) return FieldError(key, "missing");
  TP_RETURN_IF_ERROR(ReadShareGptTurn(*value, key, calls_so_far, side, out));
  if (side.back().role != Role::kAssistant) {
    return FieldError(key, "an answer must be a gpt or function_call turn");
  }
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  std::optional<element> conversations = FindField(object, "conversations");
  if (!conversations) return FieldError("conversations", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array turns, AsArray(*conversations, "conversations"));
  out.kind = ExampleKind::kPreference;
  const FieldPath turns_field("conversations");
  size_t calls_so_far = 0;
  size_t index = 0;
  for (element turn : turns) {
    TP_RETURN_IF_ERROR(ReadShareGptTurn(turn, FieldPath(turns_field, index++), calls_so_far, out.messages, out));
  }
  if (out.messages.empty()) return FieldError("conversations", "must not be empty");
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> system, OptionalString(object, "system", "system"));
  if (system && !system->empty() && out.messages.front().role != Role::kSystem) {
    out.messages.insert(out.messages.begin(), PlainMessage(Role::kSystem, *system));
  }
  TP_RETURN_IF_ERROR(ReadAnswer(object, "chosen", calls_so_far, out.chosen, out));
  TP_RETURN_IF_ERROR(ReadAnswer(object, "rejected", calls_so_far, out.rejected, out));
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"conversations", "chosen", "rejected", "system", "tools", "metadata"}, out);
  TP_RETURN_IF_ERROR(ReadMetadataField(object, out));
  return ValidatePreference(out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequirePreferencePair(example, kName));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  for (const auto& [side, name] : {std::pair{&example.chosen, "chosen"}, std::pair{&example.rejected, "rejected"}}) {
    if (side->size() != 1) {
      return FailedPreconditionError(std::string(kName) + " holds each answer as one turn, and " + name +
                                     " has " + std::to_string(side->size()) + " (use trl-preference)");
    }
    Example whole;
    whole.kind = ExampleKind::kConversation;
    whole.messages = Joined(example.messages, *side);
    whole.tools = example.tools;
    TP_RETURN_IF_ERROR(CheckRepresentable(whole, {.tool_calls = true, .tool_schemas = true}, kName));
    const size_t first = !whole.messages.empty() && whole.messages.front().role == Role::kSystem ? 1 : 0;
    TP_RETURN_IF_ERROR(CheckShareGptTurnOrder(whole.messages, first));
  }
  std::string line;
  JsonObjectWriter record(line);
  TP_RETURN_IF_ERROR(AppendShareGptTurns(example.messages, record.Key("conversations")));
  TP_RETURN_IF_ERROR(AppendShareGptTurn(example.chosen[0], example.messages.size(), record.Key("chosen")));
  TP_RETURN_IF_ERROR(AppendShareGptTurn(example.rejected[0], example.messages.size(), record.Key("rejected")));
  if (!example.tools.empty()) record.String("tools", example.tools);
  WriteCarriedFields(record, example, MediaFields());
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

Format ShareGptPreferenceFormat() {
  Format format;
  format.name = std::string(kName);
  format.description =
      "LLaMA-Factory ranking JSONL, sharegpt form: {\"conversations\",\"chosen\":{\"from\",\"value\"},\"rejected\"}";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = MediaFields();
  format.preference = true;
  return format;
}

}  // namespace tunepack::format::internal
