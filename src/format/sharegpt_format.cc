// sharegpt: {"conversations":[{"from","value"}],"system":...,"tools":"<JSON string>"}, as
// LLaMA-Factory reads it (FastChat's shape plus function_call / observation turns).
// Reference: /work/shared/reference/formats.md section 3.
//
// Rules (docs/formats.md repeats them for users):
// - Reading accepts human/user, gpt/assistant/model, system, function_call, observation/tool.
//   A first system turn wins over a top-level "system", as in LLaMA-Factory.
// - ShareGPT has no tool-call ids. Reading numbers the calls call_1, call_2... in order and
//   links an observation to the call of the function_call turn just before it; writing
//   drops ids, refusing a tool result whose id does not answer that call.
// - A function_call value is {"name","arguments":{...}}, or a JSON list of them for several
//   calls in one turn (what LLaMA-Factory's own openai converter writes).
// - Writing follows LLaMA-Factory's checks, so it never emits a row it would skip: after an
//   optional system turn, user/observation turns and gpt/function_call turns alternate, and
//   the conversation ends with an assistant turn. Two tool results in a row are refused:
//   merging them into one observation would lose which result answers which call.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/plain_turns.h"
#include "format/sharegpt_turns.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

bool Matches(element record) {
  simdjson::dom::array turns;
  if (record["conversations"].get_array().get(turns) != simdjson::SUCCESS) return false;
  for (element turn : turns) {
    std::string_view from;
    return turn["from"].get_string().get(from) == simdjson::SUCCESS;
  }
  return false;
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  std::optional<element> conversations = FindField(object, "conversations");
  if (!conversations) return FieldError("conversations", "missing");
  TP_ASSIGN_OR_RETURN(simdjson::dom::array turns, AsArray(*conversations, "conversations"));
  out.kind = ExampleKind::kConversation;
  out.messages.reserve(turns.size() + 1);
  const FieldPath turns_field("conversations");
  size_t calls_so_far = 0;
  size_t index = 0;
  for (element turn : turns) {
    TP_RETURN_IF_ERROR(ReadShareGptTurn(turn, FieldPath(turns_field, index++), calls_so_far, out.messages, out));
  }
  if (out.messages.empty()) return FieldError("conversations", "must not be empty");
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> system,
                      OptionalString(object, "system", "system"));
  if (system && !system->empty() && out.messages.front().role != Role::kSystem) {
    Message message;
    message.role = Role::kSystem;
    message.content = *system;
    out.messages.insert(out.messages.begin(), std::move(message));
  }
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"conversations", "system", "tools", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "sharegpt"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  TP_RETURN_IF_ERROR(CheckRepresentable(
      example, {.tool_calls = true, .tool_schemas = true}, "sharegpt"));
  const size_t first = example.messages.front().role == Role::kSystem ? 1 : 0;
  TP_RETURN_IF_ERROR(CheckShareGptTurnOrder(example.messages, first));

  std::string line;
  JsonObjectWriter record(line);
  TP_RETURN_IF_ERROR(AppendShareGptTurns(example.messages, record.Key("conversations")));
  // LLaMA-Factory keeps tools as a JSON string column; a list here would be read as rows.
  if (!example.tools.empty()) record.String("tools", example.tools);
  WriteCarriedFields(record, example, MediaFields());
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

PlainTurnShape ShareGptPlainShape() {
  return {"sharegpt", "conversations", "from", "value", "", PlainShareGptRole};
}

Format ShareGptFormat() {
  Format format;
  format.name = "sharegpt";
  format.description =
      "ShareGPT JSONL (LLaMA-Factory): {\"conversations\":[{\"from\",\"value\"}]} with "
      "function_call/observation turns";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = MediaFields();
  return format;
}

}  // namespace tunepack::format::internal
