#include "format/preference_pair.h"

#include <algorithm>
#include <string>

#include "format/conversation_checks.h"
#include "format/json_fields.h"

namespace tunepack::format::internal {
namespace {

constexpr std::string_view kPairFormats =
    "openai-dpo, trl-preference, trl-preference-implicit, trl-preference-text, "
    "alpaca-preference, sharegpt-preference or anthropic-hh";
constexpr std::string_view kUnpairedFormats = "trl-kto or trl-kto-text";

std::string_view KindName(ExampleKind kind) {
  switch (kind) {
    case ExampleKind::kText: return "a text example";
    case ExampleKind::kConversation: return "a conversation without a chosen/rejected pair";
    case ExampleKind::kPreference: return "a preference pair";
    case ExampleKind::kUnpairedPreference: return "an unpaired preference (one answer and a label)";
  }
  return "an example";
}

Status RequireKind(const Example& example, ExampleKind kind, std::string_view format) {
  if (example.kind == kind) return Status::Ok();
  std::string message = std::string(format) + " holds " +
                        (kind == ExampleKind::kPreference ? "preference pairs (a prompt with a chosen "
                                                            "and a rejected answer)"
                                                          : "unpaired preferences (a prompt, one "
                                                            "answer and a label)") +
                        ", and this is " + std::string(KindName(example.kind));
  if (example.kind == ExampleKind::kPreference) {
    message += "; write preference pairs as " + std::string(kPairFormats);
  } else if (example.kind == ExampleKind::kUnpairedPreference) {
    message += "; write unpaired preferences as " + std::string(kUnpairedFormats);
  }
  return FailedPreconditionError(std::move(message));
}

// Re-names "messages[i]" in an error of the joined conversation after the side it is in.
Status SideError(const Status& status, size_t prompt_size, std::string_view side) {
  const std::string& message = status.message();
  constexpr std::string_view kPrefix = "messages[";
  if (message.rfind(kPrefix, 0) != 0) return status;
  const size_t close = message.find(']');
  const size_t index = std::stoul(message.substr(kPrefix.size(), close - kPrefix.size()));
  const std::string rest = message.substr(close + 1);
  if (index < prompt_size) return status;
  return Status(status.code(), std::string(side) + "[" + std::to_string(index - prompt_size) + "]" + rest);
}

}  // namespace

Status RequirePreferencePair(const Example& example, std::string_view format) {
  return RequireKind(example, ExampleKind::kPreference, format);
}

Status RequireUnpairedPreference(const Example& example, std::string_view format) {
  return RequireKind(example, ExampleKind::kUnpairedPreference, format);
}

std::vector<Message> Joined(const std::vector<Message>& prompt, const std::vector<Message>& side) {
  std::vector<Message> joined;
  joined.reserve(prompt.size() + side.size());
  joined.insert(joined.end(), prompt.begin(), prompt.end());
  joined.insert(joined.end(), side.begin(), side.end());
  return joined;
}

Status ValidatePreference(const Example& example) {
  const bool paired = example.kind == ExampleKind::kPreference;
  if (paired && example.chosen.empty()) return FieldError("chosen", "a preference pair needs a chosen answer");
  if (paired && example.rejected.empty()) return FieldError("rejected", "a preference pair needs a rejected answer");
  if (!paired && example.chosen.empty() == example.rejected.empty()) {
    return FieldError("completion", "an unpaired preference has exactly one answer");
  }
  for (const auto& [side, name] : {std::pair{&example.chosen, "chosen"}, std::pair{&example.rejected, "rejected"}}) {
    if (side->empty()) continue;
    Example whole;
    whole.kind = ExampleKind::kConversation;
    whole.messages = Joined(example.messages, *side);
    Status status = ValidateConversation(whole);
    if (!status.ok()) return SideError(status, example.messages.size(), name);
  }
  return Status::Ok();
}

size_t ImplicitPromptLength(const std::vector<Message>& chosen, const std::vector<Message>& rejected) {
  const size_t limit = std::min(chosen.size(), rejected.size());
  size_t shared = 0;
  while (shared < limit && chosen[shared] == rejected[shared]) ++shared;
  if (chosen.empty() || rejected.empty()) return 0;
  return std::min({shared, chosen.size() - 1, rejected.size() - 1});
}

void SplitImplicitPrompt(std::vector<Message> chosen, std::vector<Message> rejected, Example& out) {
  const size_t shared = ImplicitPromptLength(chosen, rejected);
  out.kind = ExampleKind::kPreference;
  out.messages.assign(std::make_move_iterator(chosen.begin()),
                      std::make_move_iterator(chosen.begin() + static_cast<ptrdiff_t>(shared)));
  out.chosen.assign(std::make_move_iterator(chosen.begin() + static_cast<ptrdiff_t>(shared)),
                    std::make_move_iterator(chosen.end()));
  out.rejected.assign(std::make_move_iterator(rejected.begin() + static_cast<ptrdiff_t>(shared)),
                      std::make_move_iterator(rejected.end()));
}

Status CheckImplicitPromptKept(const Example& example, std::string_view format) {
  const std::vector<Message> chosen = Joined(example.messages, example.chosen);
  const std::vector<Message> rejected = Joined(example.messages, example.rejected);
  if (ImplicitPromptLength(chosen, rejected) == example.messages.size()) return Status::Ok();
  return FailedPreconditionError(
      std::string(format) + " keeps the prompt inside each answer, and reading this pair back "
      "would move the prompt's end: both answers begin with the same message, so it would "
      "become part of the prompt (use a format with an explicit prompt, e.g. trl-preference)");
}

}  // namespace tunepack::format::internal

namespace tunepack::format::internal {
namespace {

// Returns what of `message` a plain string would lose, or "" when it is only text.
std::string NotPlain(const Message& message) {
  if (!message.tool_calls.empty()) return "tool calls";
  if (!message.has_content) return "no text";
  if (!message.name.empty()) return "a name";
  if (!message.tool_call_id.empty()) return "a tool call id";
  if (message.weight && *message.weight == 0) return "weight 0";
  return "";
}

}  // namespace

Message PlainMessage(Role role, std::string_view text) {
  Message message;
  message.role = role;
  message.content = text;
  return message;
}

Status CheckPlainPrompt(const Example& example, std::string_view format) {
  const std::vector<Message>& prompt = example.messages;
  if (prompt.size() != 1 || prompt[0].role != Role::kUser) {
    return FailedPreconditionError(
        std::string(format) + " holds the prompt as one string, and this prompt has " +
        std::to_string(prompt.size()) + " message(s)" +
        (prompt.size() == 1 ? " with role " + std::string(RoleName(prompt[0].role)) : std::string()) +
        "; the turns would be lost (use trl-preference or openai-dpo)");
  }
  if (const std::string lost = NotPlain(prompt[0]); !lost.empty()) {
    return FailedPreconditionError(std::string(format) + " holds the prompt as one string, and messages[0] has " +
                                   lost + " (use trl-preference or openai-dpo)");
  }
  if (!example.tools.empty()) {
    return FailedPreconditionError(std::string(format) +
                                   " has no place for tool schemas (\"tools\"); they would be lost "
                                   "(use trl-preference or openai-dpo)");
  }
  return Status::Ok();
}

Status CheckPlainAnswer(const std::vector<Message>& side, std::string_view name, std::string_view format) {
  if (side.empty()) return Status::Ok();
  if (side.size() != 1 || side[0].role != Role::kAssistant) {
    return FailedPreconditionError(
        std::string(format) + " holds each answer as one string, and " + std::string(name) + " has " +
        std::to_string(side.size()) + " message(s)" +
        (side.size() == 1 ? " with role " + std::string(RoleName(side[0].role)) : std::string()) +
        " (use trl-preference or openai-dpo)");
  }
  if (const std::string lost = NotPlain(side[0]); !lost.empty()) {
    return FailedPreconditionError(std::string(format) + " holds each answer as one string, and " +
                                   std::string(name) + "[0] has " + lost +
                                   " (use trl-preference or openai-dpo)");
  }
  return Status::Ok();
}

}  // namespace tunepack::format::internal
