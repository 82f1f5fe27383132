#include "tunepack/format/assistant_mask.h"

#include <algorithm>

namespace tunepack::format {
namespace {

// Returns the index of the token whose bytes hold `pos`, or -1 (a byte no token covers).
int64_t TokenAt(const std::vector<tokenize::TokenSpan>& offsets, size_t pos) {
  auto it = std::upper_bound(offsets.begin(), offsets.end(), pos,
                             [](size_t p, const tokenize::TokenSpan& span) { return p < span.end; });
  if (it == offsets.end() || pos < it->begin) return -1;
  return it - offsets.begin();
}

}  // namespace

Result<MaskedTokens> TokenizeWithAssistantMask(const tokenize::Tokenizer& tokenizer, std::string_view text,
                                               const std::vector<std::pair<size_t, size_t>>& spans) {
  MaskedTokens out;
  std::vector<tokenize::TokenSpan> offsets;
  tokenize::EncodeOptions encode;
  encode.allow_special = true;
  TP_RETURN_IF_ERROR(tokenizer.Encode(text, encode, &out.ids, &offsets));
  // transformers' mask: for each span (start, end), the tokens from the one holding `start`
  // to the one holding `end - 1` (to the end when that is token 0 or none: its
  // `end_token + 1 if end_token else len(input_ids)`); a span whose start no token holds
  // stops the marking (transformers' `break`, meant for truncation).
  out.assistant_mask.assign(out.ids.size(), 0);
  for (const auto& [start, end] : spans) {
    const int64_t start_token = TokenAt(offsets, start);
    if (start_token < 0) break;
    const int64_t end_token = end > 0 ? TokenAt(offsets, end - 1) : -1;
    const int64_t stop = end_token > 0 ? end_token + 1 : static_cast<int64_t>(out.ids.size());
    for (int64_t t = start_token; t < stop; ++t) out.assistant_mask[t] = 1;
  }
  return out;
}

}  // namespace tunepack::format
