// Small inline helpers shared by the hand-written pre-tokenizer scanners.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::scan {

// Char: the class and encoded length of the character at a position.
struct Char {
  uint8_t cls;
  uint8_t len;
  char32_t cp;
};

inline Char At(std::string_view text, size_t pos) {
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) return {kAsciiClass[b], 1, b};
  const CodePoint cp = DecodeAt(text, pos);
  return {ClassOfNonAscii(cp.value), static_cast<uint8_t>(cp.length), cp.value};
}

inline bool IsLetter(uint8_t cls) { return cls & kClassLetter; }
inline bool IsNumber(uint8_t cls) { return cls & kClassNumber; }
inline bool IsSpace(uint8_t cls) { return cls & kClassSpace; }
// [^\s\p{L}\p{N}]
inline bool IsOther(uint8_t cls) { return !(cls & (kClassSpace | kClassLetter | kClassNumber)); }
// [^\r\n\p{L}\p{N}]
inline bool IsPrefix(uint8_t cls) { return !(cls & (kClassNewline | kClassLetter | kClassNumber)); }

// Returns the end of the run of characters, from `pos`, whose class has any of `bits`.
inline size_t RunOf(std::string_view text, size_t pos, uint8_t bits) {
  while (pos < text.size()) {
    const Char c = At(text, pos);
    if (!(c.cls & bits)) break;
    pos += c.len;
  }
  return pos;
}

// Returns the end of the run of [^\s\p{L}\p{N}] characters from `pos`.
inline size_t RunOfOther(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    const Char c = At(text, pos);
    if (!IsOther(c.cls)) break;
    pos += c.len;
  }
  return pos;
}

// Returns the end of the contraction 's|'t|'re|'ve|'m|'ll|'d at `pos`, or 0 when there is
// none. `fold_case` gives (?i:...), whose Unicode simple case folding also lets U+017F LATIN
// SMALL LETTER LONG S match 's' (the Rust regex crate folds s, S and ſ together).
inline size_t ContractionEnd(std::string_view text, size_t pos, bool fold_case) {
  if (pos + 1 >= text.size() || text[pos] != '\'') return 0;
  auto lower = [fold_case](char c) {
    return fold_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  const char c1 = lower(text[pos + 1]);
  if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return pos + 2;
  if (fold_case && text.substr(pos + 1, 2) == "\xC5\xBF") return pos + 3;  // ſ
  if (pos + 2 >= text.size()) return 0;
  const char c2 = lower(text[pos + 2]);
  if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
    return pos + 3;
  }
  return 0;
}

// Matches `\s+(?!\S)|\s+` at `pos`, which holds white space: the whole run when it ends the
// text or has one character, otherwise the run less its last character (which then goes
// with the word that follows, as in " hello").
inline size_t WhitespaceEnd(std::string_view text, size_t pos) {
  size_t last_start = pos;
  size_t end = pos;
  while (end < text.size()) {
    const Char c = At(text, end);
    if (!IsSpace(c.cls)) break;
    last_start = end;
    end += c.len;
  }
  if (end == text.size() || last_start == pos) return end;
  return last_start;
}

// Matches `\s*[\r\n]+|\s+(?!\S)|\s+` at `pos` (white space): up to and including the last
// \r or \n of the white-space run when it has one, otherwise as WhitespaceEnd.
inline size_t WhitespaceWithNewlinesEnd(std::string_view text, size_t pos) {
  size_t last_start = pos;
  size_t end = pos;
  size_t after_newline = 0;
  while (end < text.size()) {
    const Char c = At(text, end);
    if (!IsSpace(c.cls)) break;
    last_start = end;
    end += c.len;
    if (c.cls & kClassNewline) after_newline = end;
  }
  if (after_newline != 0) return after_newline;
  if (end == text.size() || last_start == pos) return end;
  return last_start;
}

}  // namespace tunepack::tokenize::scan
