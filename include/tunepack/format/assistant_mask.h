// The assistant mask of a chat-template rendering: which tokens the model is trained to
// write. The template marks the assistant's output with {% generation %} blocks (character
// ranges of the rendered text); this turns them into one 0/1 per token, as transformers'
// apply_chat_template(..., return_assistant_tokens_mask=True) does.
#pragma once

#include <cstdint>
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

}  // namespace tunepack::format
