// The Qwen2/Qwen3 tokenizer.json pattern, cl100k's with one digit per piece:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}
//   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// tried in order at each position (leftmost-first); the matches partition the text.
#include "tokenize/pretokenizer.h"
#include "tokenize/scanner_util.h"

namespace tunepack::tokenize {

size_t Qwen2NextPiece(std::string_view text, size_t pos) {
  using namespace scan;
  if (const size_t end = ContractionEnd(text, pos, /*fold_case=*/true)) return end;
  const Char c = At(text, pos);
  if (IsLetter(c.cls)) return RunOf(text, pos, kClassLetter);
  const size_t after = pos + c.len;
  if (IsPrefix(c.cls) && after < text.size() && IsLetter(At(text, after).cls)) {
    return RunOf(text, after, kClassLetter);
  }
  if (IsNumber(c.cls)) return after;  // \p{N}: one digit
  size_t start = pos;
  if (c.cp == ' ' && after < text.size() && IsOther(At(text, after).cls)) start = after;
  if (start != pos || IsOther(c.cls)) {
    size_t end = RunOfOther(text, start);
    while (end < text.size() && (text[end] == '\r' || text[end] == '\n')) ++end;
    return end;
  }
  return WhitespaceWithNewlinesEnd(text, pos);
}

}  // namespace tunepack::tokenize
