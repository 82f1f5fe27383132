#include "format/generation_prompt.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace tunepack::format::internal {
namespace {

using jinja::Value;

constexpr std::string_view kUser = "tunepack probe question";
constexpr std::string_view kAssistant = "tunepack probe answer";
constexpr std::string_view kNext = "tunepack probe follow-up";

std::optional<std::string> RenderProbe(const jinja::ChatTemplate& chat,
                                       std::initializer_list<std::pair<const char*, std::string_view>> turns) {
  jinja::ChatInputs inputs;
  std::vector<Value> messages;
  for (const auto& [role, content] : turns) {
    Value message = Value::MakeDict();
    message.as_dict().Set(Value::String("role"), Value::String(role));
    message.as_dict().Set(Value::String("content"), Value::String(std::string(content)));
    messages.push_back(std::move(message));
  }
  inputs.messages = Value::FromList(std::move(messages));
  inputs.add_generation_prompt = false;
  Result<std::string> text = chat.Render(inputs);
  if (!text.has_value()) return std::nullopt;
  return std::move(*text);
}

// Returns true when `text` closes every marker it opens ("<|eot_id|>", "[INST]"): the end of
// a turn never cuts a special token in two. Without this, the "|>" that ends both
// "<|begin_of_text|>" and "<|eot_id|>" would pass for part of the next turn's opener.
bool ClosesItsMarkers(std::string_view text) {
  int angle = 0, square = 0;
  for (char c : text) {
    angle += c == '<' ? 1 : c == '>' ? -1 : 0;
    square += c == '[' ? 1 : c == ']' ? -1 : 0;
  }
  return angle == 0 && square == 0;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string DanglingGenerationPrompt(const jinja::ChatTemplate& chat) {
  const std::optional<std::string> user = RenderProbe(chat, {{"user", kUser}});
  const std::optional<std::string> pair = RenderProbe(chat, {{"user", kUser}, {"assistant", kAssistant}});
  const std::optional<std::string> three =
      RenderProbe(chat, {{"user", kUser}, {"assistant", kAssistant}, {"user", kNext}});
  if (!user || !pair || !three) return "";
  const size_t u = user->find(kUser), v = pair->rfind(kAssistant), v3 = three->find(kAssistant),
               w = three->find(kNext);
  if (u == std::string::npos || v == std::string::npos || v3 == std::string::npos ||
      w == std::string::npos || w < v3) {
    return "";
  }
  const std::string_view before_user = std::string_view(*user).substr(0, u);
  const std::string_view before_answer = std::string_view(*pair).substr(0, v);
  const std::string_view tail = std::string_view(*pair).substr(v + kAssistant.size());
  const size_t after_answer = v3 + kAssistant.size();
  const std::string_view between = std::string_view(*three).substr(after_answer, w - after_answer);
  // The end-of-turn marker is a common prefix of what follows the answer in both renders.
  const size_t common = std::mismatch(tail.begin(), tail.end(), between.begin(), between.end()).first - tail.begin();
  for (size_t marker = 0; marker <= common; ++marker) {
    // The rest of `between` must be the user opener, as it stands before the first question.
    if (!ClosesItsMarkers(tail.substr(0, marker)) || !EndsWith(before_user, between.substr(marker))) continue;
    const std::string_view opener = tail.substr(marker);
    // What is left after the answer must open an assistant turn, as it does before it.
    if (opener.empty() || !EndsWith(before_answer, opener)) return "";
    return std::string(opener);
  }
  return "";
}

}  // namespace tunepack::format::internal
