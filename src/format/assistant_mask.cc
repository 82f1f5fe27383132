#include "tunepack/format/assistant_mask.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace tunepack::format {
namespace {

// Returns the index of the token whose bytes hold `pos`, or -1 (a byte no token covers).
int64_t TokenAt(const std::vector<tokenize::TokenSpan>& offsets, size_t pos) {
  auto it = std::upper_bound(offsets.begin(), offsets.end(), pos,
                             [](size_t p, const tokenize::TokenSpan& span) { return p < span.end; });
  if (it == offsets.end() || pos < it->begin) return -1;
  return it - offsets.begin();
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Returns a short quote of `text` from byte `at` (a code point boundary), for a message that
// shows where two renderings part; cut at a code point boundary, so the message stays UTF-8.
std::string QuoteAt(std::string_view text, size_t at) {
  constexpr size_t kQuote = 40;
  at = std::min(at, text.size());
  size_t end = std::min(text.size(), at + kQuote);
  while (end < text.size() && end > at && IsContinuationByte(text[end])) --end;
  std::string escaped;
  for (char c : text.substr(at, end - at)) {
    if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped.push_back(c);
    }
  }
  return "\"" + escaped + (end < text.size() ? "...\"" : "\"");
}

// Returns how many of `whole_ids` (the tokens of `whole`) are the tokens of `part`, which
// must begin `whole` as text and as tokens; Unimplemented naming message `turn` otherwise.
Result<size_t> PrefixTokens(const tokenize::Tokenizer& tokenizer, std::string_view part, std::string_view whole,
                            const std::vector<tokenize::TokenId>& whole_ids, size_t turn, std::string_view what) {
  const std::string turn_name = "messages[" + std::to_string(turn) + "] (assistant)";
  if (part.size() > whole.size() || whole.compare(0, part.size(), part) != 0) {
    size_t at = 0;
    while (at < part.size() && at < whole.size() && part[at] == whole[at]) ++at;
    while (at > 0 && at < part.size() && IsContinuationByte(part[at])) --at;  // start of its code point
    return UnimplementedError(
        "the chat template renders the conversation differently once turns follow " + turn_name + ": " +
        std::string(what) + " is not the start of the whole rendering (at byte " + std::to_string(at) + " it has " +
        QuoteAt(part, at) + ", the whole text " + QuoteAt(whole, at) +
        "), so the turn the model would write is not the one in the text and no assistant_masks can be cut "
        "from it; a template that drops past turns' reasoning does this: train such conversations one "
        "assistant turn per example, or use a template with {% generation %} blocks");
  }
  std::vector<tokenize::TokenId> ids;
  tokenize::EncodeOptions encode;
  encode.allow_special = true;
  TP_RETURN_IF_ERROR(tokenizer.Encode(part, encode, &ids));
  if (ids.size() > whole_ids.size() || !std::equal(ids.begin(), ids.end(), whole_ids.begin())) {
    return UnimplementedError("the tokens of " + std::string(what) + " for " + turn_name +
                              " are not the first tokens of the whole rendering (a token spans the turn's "
                              "boundary), so no assistant_masks can be cut from it");
  }
  return ids.size();
}

bool IsWhiteSpace(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
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

Result<MaskedTokens> TokenizeWithTurnMask(const tokenize::Tokenizer& tokenizer, std::string_view text,
                                          std::span<const size_t> assistant_turns, const RenderPrefix& render) {
  MaskedTokens out;
  std::vector<tokenize::TokenSpan> offsets;
  tokenize::EncodeOptions encode;
  encode.allow_special = true;
  TP_RETURN_IF_ERROR(tokenizer.Encode(text, encode, &out.ids, &offsets));
  out.assistant_mask.assign(out.ids.size(), 0);
  std::unordered_set<tokenize::TokenId> special;
  for (const auto& [content, id] : tokenizer.special_tokens()) special.insert(id);
  for (const size_t turn : assistant_turns) {
    TP_ASSIGN_OR_RETURN(const std::string prompt, render(turn, true));
    TP_ASSIGN_OR_RETURN(const std::string answered, render(turn + 1, false));
    TP_ASSIGN_OR_RETURN(const size_t begin,
                        PrefixTokens(tokenizer, prompt, text, out.ids, turn, "its prompt (the messages before it)"));
    TP_ASSIGN_OR_RETURN(const size_t end,
                        PrefixTokens(tokenizer, answered, text, out.ids, turn, "the conversation up to it"));
    size_t stop = end;
    for (size_t t = end; t > begin; --t) {
      if (!special.contains(out.ids[t - 1])) continue;
      const size_t after = offsets[t - 1].end;
      if (after <= answered.size() && IsWhiteSpace(std::string_view(answered).substr(after))) stop = t;
      break;
    }
    for (size_t t = begin; t < stop; ++t) out.assistant_mask[t] = 1;
  }
  return out;
}

}  // namespace tunepack::format
