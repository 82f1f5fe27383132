#include "format/chat_template_preference.h"

#include "format/preference_pair.h"

namespace tunepack::format::internal {
namespace {

// Returns the length of the longest common prefix of `a` and `b` that ends at a character
// boundary: Python compares characters, and UTF-8 bytes agree up to the first character
// that differs.
size_t CommonPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  if (n < a.size() || n < b.size()) {
    while (n > 0 && (static_cast<unsigned char>((n < a.size() ? a : b)[n]) & 0xC0) == 0x80) --n;
  }
  return n;
}

}  // namespace

Result<PreferenceTexts> RenderPreferenceTexts(const Example& example, const RenderMessages& render) {
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  if (example.messages.empty() || example.messages.back().role != Role::kUser) {
    return FailedPreconditionError(
        "the prompt of a preference example must end with a user turn to be rendered with the "
        "generation prompt, as TRL renders it" +
        std::string(example.messages.empty() ? " (this pair has no prompt)"
                                             : " (its last turn is " + std::string(RoleName(example.messages.back().role)) + ")"));
  }
  PreferenceTexts texts;
  TP_ASSIGN_OR_RETURN(texts.prompt, render(example.messages, true));
  size_t prompt_end = texts.prompt.size();
  bool first_side = true;
  for (const auto& [side, text] : {std::pair{&example.chosen, &texts.chosen}, std::pair{&example.rejected, &texts.rejected}}) {
    if (side->empty()) continue;
    TP_ASSIGN_OR_RETURN(std::string whole, render(Joined(example.messages, *side), false));
    const size_t shared = CommonPrefix(texts.prompt.substr(0, prompt_end), whole);
    if (!first_side && shared != prompt_end) {
      return FailedPreconditionError(
          "the chat template renders the prompt differently before the chosen and the rejected "
          "answer, so no one prompt text precedes both");
    }
    prompt_end = shared;
    *text = whole.substr(shared);
    first_side = false;
  }
  texts.prompt.resize(prompt_end);
  return texts;
}

}  // namespace tunepack::format::internal
