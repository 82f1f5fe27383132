// alpaca: {"instruction","input","output","system","history":[[q,a],...]}, Stanford Alpaca
// with LLaMA-Factory's system and history columns.
// Reference: /work/shared/reference/formats.md section 2.1.
//
// Reading builds [system] + history pairs + user + assistant(output), where the user turn is
// instruction and input joined by "\n", empty parts skipped (LLaMA-Factory converter.py).
// Writing puts the last user turn in "instruction" and writes "input" as "" on every row
// (never null, never absent: one JSON type per column), so an input read in comes back
// joined into the instruction. Only plain alternating user/assistant conversations ending
// with the assistant fit; anything else is refused.
#include "format/alpaca_prompt.h"
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

bool Matches(element record) {
  return HasFieldOfType(record, "instruction", simdjson::dom::element_type::STRING) &&
         HasFieldOfType(record, "output", simdjson::dom::element_type::STRING);
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view output, RequireString(object, "output", "output"));
  out.kind = ExampleKind::kConversation;
  TP_RETURN_IF_ERROR(ReadAlpacaPrompt(object, out));
  Message answer;
  answer.role = Role::kAssistant;
  answer.content = output;
  out.messages.push_back(std::move(answer));
  TP_RETURN_IF_ERROR(ReadToolsField(object, out));
  CollectUnreadFields(object, {"instruction", "input", "output", "system", "history", "tools", "metadata"},
                      out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "alpaca"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  TP_RETURN_IF_ERROR(CheckRepresentable(example, {.tool_schemas = true}, "alpaca"));
  const std::vector<Message>& messages = example.messages;
  if (messages.back().role != Role::kAssistant) {
    return FailedPreconditionError(
        "alpaca needs a conversation that ends with an assistant turn (its \"output\")");
  }
  const std::vector<Message> prompt(messages.begin(), messages.end() - 1);
  TP_RETURN_IF_ERROR(CheckAlpacaPrompt(prompt, "alpaca"));
  JsonObjectWriter record(out);
  record.String("instruction", prompt.back().content);
  record.String("input", "");
  record.String("output", messages.back().content);
  AppendAlpacaSystemAndHistory(prompt, record);
  if (!example.tools.empty()) record.String("tools", example.tools);
  WriteCarriedFields(record, example, MediaFields());
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format AlpacaFormat() {
  Format format;
  format.name = "alpaca";
  format.description =
      "Alpaca JSONL: instruction/input/output with optional system and history (LLaMA-Factory)";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.carried_fields = MediaFields();
  return format;
}

}  // namespace tunepack::format::internal
