#include "format/alpaca_prompt.h"

#include "format/conversation_checks.h"
#include "format/json_fields.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

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

}  // namespace

Status ReadAlpacaPrompt(simdjson::dom::object object, Example& out) {
  TP_ASSIGN_OR_RETURN(std::string_view instruction,
                      RequireString(object, "instruction", "instruction"));
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> input,
                      OptionalString(object, "input", "input"));
  TP_ASSIGN_OR_RETURN(std::optional<std::string_view> system,
                      OptionalString(object, "system", "system"));
  if (system && !system->empty()) out.messages.push_back(Turn(Role::kSystem, *system));
  TP_RETURN_IF_ERROR(ReadHistory(object, out));
  std::string prompt(instruction);
  if (input && !input->empty()) {
    if (!prompt.empty()) prompt += '\n';
    prompt += *input;
  }
  out.messages.push_back(Turn(Role::kUser, prompt));
  return Status::Ok();
}

Status CheckAlpacaPrompt(const std::vector<Message>& messages, std::string_view format) {
  const size_t first = !messages.empty() && messages.front().role == Role::kSystem ? 1 : 0;
  for (size_t i = first; i < messages.size(); ++i) {
    const Role expected = (i - first) % 2 == 0 ? Role::kUser : Role::kAssistant;
    if (messages[i].role != expected) {
      return FailedPreconditionError(
          std::string(format) + " holds user/assistant pairs, and " + MessageField(i) + " has role " +
          std::string(RoleName(messages[i].role)) + " where the " +
          std::string(RoleName(expected)) + "'s turn belongs (use openai or sharegpt)");
    }
  }
  if (messages.size() == first || (messages.size() - first) % 2 != 1) {
    return FailedPreconditionError(std::string(format) +
                                   " needs a prompt that ends with a user turn (its \"instruction\")");
  }
  return Status::Ok();
}

void AppendAlpacaSystemAndHistory(const std::vector<Message>& messages, JsonObjectWriter& record) {
  const size_t first = messages.front().role == Role::kSystem ? 1 : 0;
  const size_t last_user = messages.size() - 1;
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
}

}  // namespace tunepack::format::internal
