#include "format/bedrock_turns.h"

#include "format/conversation_checks.h"

namespace tunepack::format::internal {

size_t LeadingSystemCount(const Example& example) {
  size_t count = 0;
  while (count < example.messages.size() && example.messages[count].role == Role::kSystem) ++count;
  return count;
}

Status CheckTextConversation(const Example& example, std::string_view format) {
  TP_RETURN_IF_ERROR(RequireConversation(example, format));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  const size_t first = LeadingSystemCount(example);
  // The turns go in a list of their own, which the service (and our reader) refuses empty.
  if (first == example.messages.size()) {
    return FailedPreconditionError(std::string(format) + " needs a user or assistant message, and this example has " +
                                   (first == 0 ? std::string("no messages") : "only system messages"));
  }
  // Several system messages at the start are several system parts (Nova, Gemini); a system
  // message later has no place.
  for (size_t i = first; i < example.messages.size(); ++i) {
    if (example.messages[i].role == Role::kSystem) {
      return FailedPreconditionError(std::string(format) + " cannot hold a system message after the first user or "
                                     "assistant message (" + MessageField(i) + "); it would be lost (use openai or chatml)");
    }
  }
  return CheckRepresentable(example, {.system_anywhere = true}, format);
}

const TurnRules& BedrockClaudeTurnRules() {
  static const TurnRules rules = {.max_leading_system = 1,
                                  .system_only_first = true,
                                  .roles = {Role::kUser, Role::kAssistant},
                                  .user_first = true,
                                  .alternate = true,
                                  .assistant_last = true,
                                  .min_messages = 2};
  return rules;
}

Result<Message*> ReadBedrockMessageRole(simdjson::dom::object object, const FieldPath& field,
                                        std::string_view schema, Example& out) {
  CollectUnreadNestedFields(object, {"role", "content"}, out, field);
  const FieldPath role_field(field, "role");
  TP_ASSIGN_OR_RETURN(std::string_view role, RequireString(object, "role", role_field));
  if (role != "user" && role != "assistant") {
    return FieldError(role_field, "unknown role '" + std::string(role) + "' (" + std::string(schema) +
                                      " has user and assistant; the system prompt is the top-level \"system\")");
  }
  Message& message = out.messages.emplace_back();
  message.role = role == "user" ? Role::kUser : Role::kAssistant;
  return &message;
}

}  // namespace tunepack::format::internal
