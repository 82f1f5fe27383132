// The o200k_base pattern, with U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}],
// P = [^\r\n\p{L}\p{N}] and C = (?i:'s|'t|'re|'ve|'m|'ll|'d):
//   P?U*W+C? | P?U+W*C? | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// The first two alternatives backtrack: the scanner reproduces the backtracking result in
// one pass (see Alt1). Note that marks are in P, U and W at once.
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/scanner_util.h"

namespace tunepack::tokenize {
namespace {

using namespace scan;

constexpr uint8_t kBoth = kClassUpperish | kClassLowerish;  // Lm, Lo, M

size_t WithContraction(std::string_view text, size_t end) {
  const size_t contraction = ContractionEnd(text, end, /*fold_case=*/true);
  return contraction != 0 ? contraction : end;
}

// U*W+C? at `s`; returns its end, or 0 when it does not match. Greedy U* takes the whole
// run of U characters; if an Ll follows, W+ runs from there. Otherwise U* gives characters
// back until W+ can match one: the last character of the run that is also in W (Lm, Lo or
// a mark), after which W+ cannot extend (what follows it in the run is Lu/Lt only).
size_t Alt1(std::string_view text, size_t s) {
  size_t end = s;
  size_t after_last_both = 0;
  while (end < text.size()) {
    const Char c = At(text, end);
    if (!(c.cls & kClassUpperish)) break;
    end += c.len;
    if ((c.cls & kBoth) == kBoth) after_last_both = end;
  }
  if (end < text.size() && (At(text, end).cls & kClassLowerish)) {
    return WithContraction(text, RunOf(text, end, kClassLowerish));
  }
  if (after_last_both == 0) return 0;
  return WithContraction(text, after_last_both);
}

// U+W*C? at `s`; returns its end, or 0 when it does not match.
size_t Alt2(std::string_view text, size_t s) {
  const size_t upper_end = RunOf(text, s, kClassUpperish);
  if (upper_end == s) return 0;
  return WithContraction(text, RunOf(text, upper_end, kClassLowerish));
}

}  // namespace

size_t O200kNextPiece(std::string_view text, size_t pos) {
  const Char c = At(text, pos);
  const size_t after = pos + c.len;
  const bool has_prefix = IsPrefix(c.cls) && after < text.size();
  // Both alternatives need a U or W character where they start (Alt1's U* and W+, Alt2's
  // U+), so a start that holds neither is not tried: most pieces that start with a space
  // or punctuation skip two or four scans that would fail.
  const bool word_here = (c.cls & (kClassUpperish | kClassLowerish)) != 0;
  const bool word_after = has_prefix && (At(text, after).cls & (kClassUpperish | kClassLowerish)) != 0;
  // Leftmost-first order: alternative 1 with the optional prefix, then without, then
  // alternative 2 likewise.
  if (word_after) {
    if (const size_t end = Alt1(text, after)) return end;
  }
  if (word_here) {
    if (const size_t end = Alt1(text, pos)) return end;
  }
  if (word_after) {
    if (const size_t end = Alt2(text, after)) return end;
  }
  if (word_here) {
    if (const size_t end = Alt2(text, pos)) return end;
  }
  // \p{N}{1,3}
  if (IsNumber(c.cls)) {
    size_t end = after;
    for (int count = 1; count < 3 && end < text.size(); ++count) {
      const Char d = At(text, end);
      if (!IsNumber(d.cls)) break;
      end += d.len;
    }
    return end;
  }
  //  ?[^\s\p{L}\p{N}]+[\r\n/]*
  size_t start = pos;
  if (c.cp == ' ' && after < text.size() && IsOther(At(text, after).cls)) start = after;
  if (start != pos || IsOther(c.cls)) {
    size_t end = RunOfOther(text, start);
    while (end < text.size() && (text[end] == '\r' || text[end] == '\n' || text[end] == '/')) {
      ++end;
    }
    return end;
  }
  return WhitespaceWithNewlinesEnd(text, pos);
}

}  // namespace tunepack::tokenize
