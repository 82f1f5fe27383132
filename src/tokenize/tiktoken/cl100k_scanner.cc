// The cl100k_base pattern, and the Qwen2/Qwen3 tokenizer.json pattern that differs from it only
// in taking one digit per piece (\p{N} for \p{N}{1,3}):
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// tried in order at each position (leftmost-first); the matches partition the text.
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/scanner_util.h"

namespace tunepack::tokenize {

namespace {

// kMaxDigits: the longest digit run one piece takes (3 for cl100k, 1 for Qwen).
template <int kMaxDigits>
size_t Cl100kFamilyNextPiece(std::string_view text, size_t pos) {
  using namespace scan;
  if (const size_t end = ContractionEnd(text, pos, /*fold_case=*/true)) return end;
  const Char c = At(text, pos);
  // [^\r\n\p{L}\p{N}]?\p{L}+ : one optional non-letter, non-number, non-newline prefix.
  if (IsLetter(c.cls)) return RunOf(text, pos, kClassLetter);
  const size_t after = pos + c.len;
  if (IsPrefix(c.cls) && after < text.size() && IsLetter(At(text, after).cls)) {
    return RunOf(text, after, kClassLetter);
  }
  // \p{N}{1,kMaxDigits}
  if (IsNumber(c.cls)) {
    size_t end = after;
    for (int count = 1; count < kMaxDigits && end < text.size(); ++count) {
      const Char d = At(text, end);
      if (!IsNumber(d.cls)) break;
      end += d.len;
    }
    return end;
  }
  //  ?[^\s\p{L}\p{N}]+[\r\n]*
  size_t start = pos;
  if (c.cp == ' ' && after < text.size() && IsOther(At(text, after).cls)) start = after;
  if (start != pos || IsOther(c.cls)) {
    size_t end = RunOfOther(text, start);
    while (end < text.size() && (text[end] == '\r' || text[end] == '\n')) ++end;
    return end;
  }
  return WhitespaceWithNewlinesEnd(text, pos);
}

}  // namespace

size_t Cl100kNextPiece(std::string_view text, size_t pos) { return Cl100kFamilyNextPiece<3>(text, pos); }
size_t Qwen2NextPiece(std::string_view text, size_t pos) { return Cl100kFamilyNextPiece<1>(text, pos); }

}  // namespace tunepack::tokenize
