// The GPT-2 / r50k / p50k pattern:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Alternatives are tried in order at each position (leftmost-first), and every character
// is covered by one of them, so the matches partition the text.
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/scanner_util.h"

namespace tunepack::tokenize {

size_t Gpt2NextPiece(std::string_view text, size_t pos) {
  using namespace scan;
  if (const size_t end = ContractionEnd(text, pos, /*fold_case=*/false)) return end;
  Char c = At(text, pos);
  size_t start = pos;
  // ` ?` binds only an ASCII space, and only when a letter, number or other follows.
  if (c.cp == ' ' && pos + 1 < text.size()) {
    const Char next = At(text, pos + 1);
    if (!IsSpace(next.cls)) {
      start = pos + 1;
      c = next;
    }
  }
  if (IsLetter(c.cls)) return RunOf(text, start, kClassLetter);
  if (IsNumber(c.cls)) return RunOf(text, start, kClassNumber);
  if (IsOther(c.cls)) return RunOfOther(text, start);
  return WhitespaceEnd(text, pos);
}

}  // namespace tunepack::tokenize
