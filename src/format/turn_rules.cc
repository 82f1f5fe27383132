// CheckTurnRules: the order of turns a target's documentation states (Bedrock's "first
// user, last assistant, alternating", Mistral's "last role assistant", Together's "start
// with system or user, then alternate"), checked on tunepack's message model so that the
// same rules hold whatever format the file is in.
#include <algorithm>

#include "format/json_fields.h"
#include "tunepack/format/target.h"

namespace tunepack::format {
namespace {

using internal::FieldError;
using internal::IndexedField;  // tool_calls[k]

std::string RoleList(const std::vector<Role>& roles) {
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) out += i + 1 == roles.size() ? " or " : ", ";
    out += RoleName(roles[i]);
  }
  return out;
}

Status Broken(std::string_view who, const std::string& field, std::string_view what) {
  return FieldError(field, std::string(who) + " " + std::string(what));
}

// Names the message at `index` by its place after the `first` system messages ("turn 1"),
// the same whether the format keeps the system prompt in its message list (openai) or apart
// (bedrock-claude's "system", vertex-gemini's "systemInstruction").
std::string TurnName(size_t index, size_t first) { return "turn " + std::to_string(index - first + 1); }

Status CheckToolIds(const TurnRules& rules, const std::vector<Message>& messages, size_t first,
                    std::string_view who) {
  if (rules.tool_call_id_length == 0) return Status::Ok();
  const std::string want = std::to_string(rules.tool_call_id_length);
  for (size_t i = first; i < messages.size(); ++i) {
    const std::string field = TurnName(i, first);
    for (size_t k = 0; k < messages[i].tool_calls.size(); ++k) {
      if (messages[i].tool_calls[k].id.size() != rules.tool_call_id_length) {
        return Broken(who, IndexedField(field + ".tool_calls", k) + ".id",
                      "needs tool call ids of exactly " + want + " characters");
      }
    }
    if (messages[i].role == Role::kTool && messages[i].tool_call_id.size() != rules.tool_call_id_length) {
      return Broken(who, field + ".tool_call_id", "needs tool_call_id of exactly " + want + " characters");
    }
  }
  return Status::Ok();
}

// Checks one whole conversation; `list` names it in messages ("messages").
Status CheckConversation(const TurnRules& rules, const std::vector<Message>& messages,
                         std::string_view list, std::string_view who) {
  size_t first = 0;
  while (first < messages.size() && messages[first].role == Role::kSystem) ++first;
  if (first > rules.max_leading_system) {
    return Broken(who, "system message " + std::to_string(rules.max_leading_system + 1),
                  rules.max_leading_system == 0 ? "takes no system message"
                                                : "takes at most " + std::to_string(rules.max_leading_system) +
                                                      " system message at the start");
  }
  const size_t count = messages.size() - first;
  if (count < rules.min_messages) {
    return Broken(who, std::string(list),
                  "needs at least " + std::to_string(rules.min_messages) + " messages besides the system prompt, not " +
                      std::to_string(count));
  }
  for (size_t i = first; i < messages.size(); ++i) {
    const Role role = messages[i].role;
    const std::string field = TurnName(i, first);
    if (role == Role::kSystem) {
      if (rules.system_only_first) {
        return Broken(who, field, "takes a system message only at the start");
      }
      continue;
    }
    if (!rules.roles.empty() && std::find(rules.roles.begin(), rules.roles.end(), role) == rules.roles.end()) {
      return Broken(who, field, "takes roles " + RoleList(rules.roles) + ", not " + std::string(RoleName(role)));
    }
    if (rules.alternate) {
      const Role expected = (i - first) % 2 == 0 ? Role::kUser : Role::kAssistant;
      if (role != expected) {
        return Broken(who, field, "needs user and assistant messages to alternate, starting with the user's (" +
                                      field + " is the " + std::string(RoleName(role)) + "'s)");
      }
    }
  }
  if (rules.user_first && count > 0 && messages[first].role != Role::kUser) {
    return Broken(who, TurnName(first, first),
                  "needs the first message after the system prompt to be the user's, not " +
                      std::string(RoleName(messages[first].role)));
  }
  if (rules.assistant_last && (count == 0 || messages.back().role != Role::kAssistant)) {
    return Broken(who, count == 0 ? std::string(list) : TurnName(messages.size() - 1, first),
                  "needs the last message to be the assistant's (the answer it trains on)");
  }
  return CheckToolIds(rules, messages, first, who);
}

Status CheckAnswer(const TurnRules& rules, const std::vector<Message>& answer, std::string_view side,
                   std::string_view who) {
  if (!rules.single_message_answers) return Status::Ok();
  if (answer.size() != 1 || answer.front().role != Role::kAssistant) {
    return Broken(who, std::string(side), "needs exactly one assistant message in each answer, not " +
                                              std::to_string(answer.size()) + " messages");
  }
  return Status::Ok();
}

}  // namespace

Status CheckTurnRules(const TurnRules& rules, const Example& example, std::string_view who) {
  if (example.kind == ExampleKind::kText) return Status::Ok();
  if (example.kind == ExampleKind::kConversation) return CheckConversation(rules, example.messages, "messages", who);
  // Preference data: the prompt must lead into an answer, so the conversation rules apply to
  // the prompt with each answer appended.
  TP_RETURN_IF_ERROR(CheckAnswer(rules, example.chosen, "chosen", who));
  TP_RETURN_IF_ERROR(CheckAnswer(rules, example.rejected, "rejected", who));
  for (const std::vector<Message>* answer : {&example.chosen, &example.rejected}) {
    if (answer->empty()) continue;
    std::vector<Message> whole = example.messages;
    whole.insert(whole.end(), answer->begin(), answer->end());
    TP_RETURN_IF_ERROR(CheckConversation(rules, whole, "prompt + answer", who));
  }
  return Status::Ok();
}

}  // namespace tunepack::format
