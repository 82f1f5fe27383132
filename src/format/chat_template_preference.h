// chat-template for preference data: the texts TRL's maybe_apply_chat_template makes of a
// preference example (trl/data_utils.py), so that a DPO or KTO trainer gets what it would
// have rendered itself:
// - prompt: the prompt messages with add_generation_prompt=true (the prompt must end with
//   a user turn; TRL raises for a tool turn, and continue_final_message is not supported);
// - each answer: the render of prompt + answer, less the part it shares with the prompt
//   (the common prefix, which is the whole prompt text unless the template renders the
//   prompt differently once an answer follows, as DeepSeek-R1's does).
// When the two answers would cut the prompt at different places (TRL would then pair the
// chosen text with a prompt it does not follow), the example is refused.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// PreferenceTexts: the rendered prompt and answers; an unpaired example's answer is in
// `chosen` (label true) or `rejected` (label false).
struct PreferenceTexts {
  std::string prompt;
  std::string chosen;
  std::string rejected;
};

// Renders `messages` with the chat template, with or without the generation prompt.
using RenderMessages =
    std::function<Result<std::string>(const std::vector<Message>& messages, bool add_generation_prompt)>;

// Returns the texts of `example` (a preference example) rendered by `render`.
Result<PreferenceTexts> RenderPreferenceTexts(const Example& example, const RenderMessages& render);

}  // namespace tunepack::format::internal
