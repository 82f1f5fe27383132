// prompt-completion: {"prompt":"...","completion":"..."}, one prompt string and one answer
// string: TRL's standard prompt-completion type, Together's instruction format, Bedrock's
// non-conversational records and OpenAI's legacy completion files. Reference:
// /work/shared/reference/formats.md sections 1.2, 5, 7.1 and 7.4.
//
// Inside it is a user message and an assistant message; writing refuses anything else (a
// system prompt, several turns, tool calls), which one prompt string cannot hold without
// a template. A record with a "label" is TRL's KTO data (trl-kto-text), not this.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

bool Matches(element record) {
  simdjson::dom::element label;
  return HasFieldOfType(record, "prompt", element_type::STRING) &&
         HasFieldOfType(record, "completion", element_type::STRING) &&
         record["label"].get(label) != simdjson::SUCCESS;
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view prompt, RequireString(object, "prompt", "prompt"));
  TP_ASSIGN_OR_RETURN(std::string_view completion, RequireString(object, "completion", "completion"));
  out.kind = ExampleKind::kConversation;
  out.messages.push_back(TextMessage(Role::kUser, std::string(prompt)));
  out.messages.push_back(TextMessage(Role::kAssistant, std::string(completion)));
  CollectUnreadFields(object, {"prompt", "completion", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "prompt-completion"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  TP_RETURN_IF_ERROR(CheckRepresentable(example, {}, "prompt-completion"));
  const std::vector<Message>& messages = example.messages;
  if (messages.size() != 2 || messages[0].role != Role::kUser || messages[1].role != Role::kAssistant) {
    return FailedPreconditionError(
        "prompt-completion holds one user prompt and one assistant answer, and this conversation has " +
        std::to_string(messages.size()) +
        " messages (or a system prompt); the other turns would be lost (use openai, or the chat-template format to "
        "render them into one prompt)");
  }
  std::string line;
  JsonObjectWriter record(line);
  record.String("prompt", messages[0].content);
  record.String("completion", messages[1].content);
  FinishJsonlRecord(record, example, options, line);
  out += line;
  return Status::Ok();
}

}  // namespace

Format PromptCompletionFormat() {
  Format format;
  format.name = "prompt-completion";
  format.description =
      "{\"prompt\",\"completion\"} strings: TRL standard prompt-completion, Together instruction, Bedrock text";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  return format;
}

}  // namespace tunepack::format::internal
