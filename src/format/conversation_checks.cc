#include "format/conversation_checks.h"

#include "format/json_fields.h"

namespace tunepack::format::internal {

std::string MessageField(size_t index) { return IndexedField("messages", index); }

Status RequireConversation(const Example& example, std::string_view format) {
  if (example.kind == ExampleKind::kConversation) return Status::Ok();
  if (IsPreference(example.kind)) {
    return FailedPreconditionError(
        std::string(format) + " holds conversations, and this is a preference " +
        (example.kind == ExampleKind::kPreference ? "pair: its chosen and rejected answers"
                                                  : "example: its answer's label") +
        " would be lost; write preference data as a preference format (openai-dpo, "
        "trl-preference, trl-kto, alpaca-preference, sharegpt-preference, anthropic-hh; "
        "`tunepack formats` lists them)");
  }
  return FailedPreconditionError(std::string(format) +
                                 " holds conversations, and this is a text example; write "
                                 "text examples as jsonl, text or markdown");
}

Status RequireText(const Example& example, std::string_view format,
                   std::string_view use_instead) {
  if (example.kind == ExampleKind::kText) return Status::Ok();
  return FailedPreconditionError(std::string(format) +
                                 " holds plain text, and a " +
                                 (IsPreference(example.kind) ? "preference example" : "conversation") +
                                 " written there would "
                                 "lose its roles and turns; use " +
                                 std::string(use_instead));
}

Status ValidateConversation(const Example& example) {
  if (example.messages.empty()) return FieldError("messages", "a conversation needs messages");
  for (size_t i = 0; i < example.messages.size(); ++i) {
    const Message& message = example.messages[i];
    const bool assistant = message.role == Role::kAssistant;
    if (!message.tool_calls.empty() && !assistant) {
      return FieldError(MessageField(i) + ".tool_calls", "only assistant messages make tool calls");
    }
    if (!message.has_content && message.tool_calls.empty()) {
      return FieldError(MessageField(i) + ".content",
                        "missing; only an assistant message with tool_calls may leave it out");
    }
    if (message.weight && (!assistant || (*message.weight != 0 && *message.weight != 1))) {
      return FieldError(MessageField(i) + ".weight",
                        "must be 0 or 1, and only on assistant messages");
    }
    if (!message.tool_call_id.empty() && message.role != Role::kTool) {
      return FieldError(MessageField(i) + ".tool_call_id", "only tool messages answer a call");
    }
    for (size_t k = 0; k < message.tool_calls.size(); ++k) {
      if (message.tool_calls[k].name.empty()) {
        return FieldError(IndexedField(MessageField(i) + ".tool_calls", k) + ".function.name",
                          "must not be empty");
      }
    }
  }
  return Status::Ok();
}

namespace {

Status Lost(std::string_view format, std::string_view what, std::string_view use_instead) {
  std::string message(format);
  message += " cannot hold ";
  message += what;
  message += "; it would be lost (use ";
  message += use_instead;
  message += ")";
  return FailedPreconditionError(std::move(message));
}

}  // namespace

Status CheckRepresentable(const Example& example, const ConversationFeatures& features,
                          std::string_view format) {
  if (!features.tool_schemas && !example.tools.empty()) {
    return Lost(format, "the tool schemas in \"tools\"", "openai or sharegpt");
  }
  const FieldPath messages_field("messages");
  for (size_t i = 0; i < example.messages.size(); ++i) {
    const Message& message = example.messages[i];
    const FieldPath field(messages_field, i);
    if (!features.tool_calls && !message.tool_calls.empty()) {
      return Lost(format, "the tool calls of " + field.str(), "openai or sharegpt");
    }
    if (!features.tool_calls && message.role == Role::kTool) {
      return Lost(format, "the tool result in " + field.str(), "openai or sharegpt");
    }
    if (!features.names && !message.name.empty()) {
      return Lost(format, "the name '" + message.name + "' of " + field.str(), "openai");
    }
    // weight 1 is what every trainer does by default, so dropping it loses nothing;
    // weight 0 says "do not train on this turn", and dropping it would train on it.
    if (!features.weights && message.weight == 0) {
      return Lost(format, "weight 0 (do not train on this turn) of " + field.str(), "openai");
    }
    if (!features.system_anywhere && message.role == Role::kSystem && i != 0) {
      return Lost(format, "a system message after the first message (" + field.str() + ")",
                  "openai or chatml");
    }
  }
  return Status::Ok();
}

}  // namespace tunepack::format::internal
