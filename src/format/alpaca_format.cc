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

Message Turn(Role role, std::string_view content) {
  Message message;
  message.role = role;
  message.content = content;
  return message;
}

Status ReadHistory(simdjson::dom::object record, Example& out) {
  std::optional<element> history = FindField(record, "history");
  if (!history || history->is_null()) return Status::Ok();
  TP_ASSIGN_OR_RETURN(simdjson::dom::array pairs, AsArray(*history, "history"));
  const FieldPath history_field("history");
  size_t index = 0;
  for (element pair : pairs) {
    const FieldPath field(history_field, index++);
    simdjson::dom::array items;
    std::string_view prompt, response;
    if (pair.get_array().get(items) != simdjson::SUCCESS || items.size() != 2 ||
        items.at(0).get_string().get(prompt) != simdjson::SUCCESS ||
        items.at(1).get_string().get(response) != simdjson::SUCCESS) {
      return FieldError(field, "must be a [prompt, response] pair of strings");
    }
    out.messages.push_back(Turn(Role::kUser, prompt));
    out.messages.push_back(Turn(Role::kAssistant, response));
  }
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view instruction,
                      RequireString(object, "instruction", "instruction"));
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> input,
                      OptionalString(object, "input", "input"));
  TP_ASSIGN_OR_RETURN(std::string_view output, RequireString(object, "output", "output"));
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> system,
                      OptionalString(object, "system", "system"));
  out.kind = ExampleKind::kConversation;
  if (system && !system->empty()) out.messages.push_back(Turn(Role::kSystem, *system));
  TP_RETURN_IF_ERROR(ReadHistory(object, out));
  std::string prompt(instruction);
  if (input && !input->empty()) {
    if (!prompt.empty()) prompt += '\n';
    prompt += *input;
  }
  out.messages.push_back(Turn(Role::kUser, prompt));
  out.messages.push_back(Turn(Role::kAssistant, output));
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
  const size_t first = messages.front().role == Role::kSystem ? 1 : 0;
  for (size_t i = first; i < messages.size(); ++i) {
    const Role expected = (i - first) % 2 == 0 ? Role::kUser : Role::kAssistant;
    if (messages[i].role != expected) {
      return FailedPreconditionError(
          "alpaca holds user/assistant pairs, and " + MessageField(i) + " has role " +
          std::string(RoleName(messages[i].role)) + " where the " +
          std::string(RoleName(expected)) + "'s turn belongs (use openai or sharegpt)");
    }
  }
  if (messages.size() == first || (messages.size() - first) % 2 != 0) {
    return FailedPreconditionError(
        "alpaca needs a conversation that ends with an assistant turn (its \"output\")");
  }

  const size_t last_user = messages.size() - 2;
  JsonObjectWriter record(out);
  record.String("instruction", messages[last_user].content);
  record.String("input", "");
  record.String("output", messages.back().content);
  // An empty system prompt is left out: reading treats "" as no system prompt, and writing
  // it would make read(write(x)) differ from x.
  if (first == 1 && !messages.front().content.empty()) {
    record.String("system", messages.front().content);
  }
  if (last_user > first) {
    std::string& history = record.Key("history");
    history.push_back('[');
    for (size_t i = first; i < last_user; i += 2) {
      if (i > first) history.push_back(',');
      history.push_back('[');
      AppendJsonString(history, messages[i].content);
      history.push_back(',');
      AppendJsonString(history, messages[i + 1].content);
      history.push_back(']');
    }
    history.push_back(']');
  }
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
