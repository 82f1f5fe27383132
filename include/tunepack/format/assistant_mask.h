// The assistant mask of a chat-template rendering: which tokens the model is trained to
// write. Two ways to find them:
// - the template marks the assistant's output with {% generation %} blocks (character
//   ranges of the rendered text); TokenizeWithAssistantMask turns them into one 0/1 per
//   token, as transformers' apply_chat_template(..., return_assistant_tokens_mask=True) does;
// - the template has no such block (Llama 3, Qwen3, Gemma 3 as published):
//   TokenizeWithTurnMask marks what each assistant turn adds to the rendering, the way
//   trainers do without markers (TRL's prompt/completion split, per turn): the tokens of
//   the conversation up to the turn less those of its prompt (docs/templates.md).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::format {

// MaskedTokens: a rendering's token ids and, per token, 1 when it is the assistant's output.
struct MaskedTokens {
  std::vector<tokenize::TokenId> ids;
  std::vector<uint8_t> assistant_mask;
};

// Tokenizes `text` with special tokens recognised (the template wrote them, as transformers
// tokenizes a rendering) and marks the tokens of `spans`, the [begin, end) byte ranges of
// the generation blocks.
Result<MaskedTokens> TokenizeWithAssistantMask(const tokenize::Tokenizer& tokenizer, std::string_view text,
                                               const std::vector<std::pair<size_t, size_t>>& spans);

// Renders the conversation's first `count` messages: as a training text (no generation
// prompt, and none left dangling after a last assistant turn) or, with
// `add_generation_prompt`, as the prompt for the next assistant turn.
using RenderPrefix = std::function<Result<std::string>(size_t count, bool add_generation_prompt)>;

// Tokenizes `text`, the rendering of the whole conversation, and marks for each assistant
// message index in `assistant_turns` the tokens it adds: those of render(i + 1, false) past
// those of render(i, true). What the turn adds after its end-of-turn token (the last
// special token it adds) when that is only white space, the separator the template writes
// between turns ("\n" after <|im_end|>), stays 0: generation stops at the end-of-turn token,
// so the model never writes it (TRL's and axolotl's masks leave it out too).
//
// Both renderings must be prefixes of `text`, as text and as tokens; a template that
// rewrites earlier turns once later ones follow (Qwen3 drops the empty reasoning block of
// past turns) fails that, and the result is Unimplemented naming the turn, since the turn
// the model would write is not the one in `text`.
Result<MaskedTokens> TokenizeWithTurnMask(const tokenize::Tokenizer& tokenizer, std::string_view text,
                                          std::span<const size_t> assistant_turns, const RenderPrefix& render);

}  // namespace tunepack::format
