// Per-code-point character classes that the pre-tokenizer patterns test: letter, number,
// mark, white space, and the "upper-ish"/"lower-ish" letter groups of the o200k pattern.
// Categories come from utf8proc (Unicode 15); white space is the Unicode White_Space
// property, which is what `\s` means in the Rust regex crate that tiktoken uses.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tunepack::tokenize {

// CharClass bits.
enum CharClass : uint8_t {
  kClassLetter = 1 << 0,      ///< \p{L}
  kClassNumber = 1 << 1,      ///< \p{N}
  kClassMark = 1 << 2,        ///< \p{M}
  kClassSpace = 1 << 3,       ///< \s (White_Space)
  kClassUpperish = 1 << 4,    ///< [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  kClassLowerish = 1 << 5,    ///< [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  kClassNewline = 1 << 6,     ///< [\r\n]
};

// Returns the CharClass bits of a non-ASCII `cp`; code points past U+10FFFF have none.
uint8_t ClassOfNonAscii(char32_t cp);

// Returns the CharClass bits of the ASCII characters: letters are Lu/Ll, digits Nd, white
// space is \t..\r and ' ', and none is a mark.
constexpr std::array<uint8_t, 128> MakeAsciiClasses() {
  std::array<uint8_t, 128> table{};
  for (int c = 0; c < 128; ++c) {
    uint8_t bits = 0;
    if ((c >= 0x09 && c <= 0x0D) || c == ' ') bits |= kClassSpace;
    if (c == '\r' || c == '\n') bits |= kClassNewline;
    if (c >= 'A' && c <= 'Z') bits |= kClassLetter | kClassUpperish;
    if (c >= 'a' && c <= 'z') bits |= kClassLetter | kClassLowerish;
    if (c >= '0' && c <= '9') bits |= kClassNumber;
    table[c] = bits;
  }
  return table;
}

// The classes of ASCII, inline because ASCII dominates most text.
inline constexpr std::array<uint8_t, 128> kAsciiClass = MakeAsciiClasses();

// Returns the CharClass bits of `cp`.
inline uint8_t ClassOf(char32_t cp) { return cp < 0x80 ? kAsciiClass[cp] : ClassOfNonAscii(cp); }

// CodePoint: one decoded character of the input.
struct CodePoint {
  char32_t value;
  uint32_t length;  ///< bytes it occupies in the input (1-4)
};

// Decodes the code point at text[pos] (pos < text.size()). A byte that does not start a
// valid sequence decodes as U+FFFD of length 1, so scanning never stalls or overruns.
inline CodePoint DecodeAt(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t left = text.size() - pos;
  const unsigned char b0 = s[pos];
  if (b0 < 0x80) return {b0, 1};
  if (b0 >= 0xC2 && b0 < 0xE0 && left >= 2 && (s[pos + 1] & 0xC0) == 0x80) {
    return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F)), 2};
  }
  if (b0 >= 0xE0 && b0 < 0xF0 && left >= 3 && (s[pos + 1] & 0xC0) == 0x80 &&
      (s[pos + 2] & 0xC0) == 0x80) {
    const char32_t cp = ((b0 & 0x0F) << 12) | ((s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  if (b0 >= 0xF0 && b0 < 0xF5 && left >= 4 && (s[pos + 1] & 0xC0) == 0x80 &&
      (s[pos + 2] & 0xC0) == 0x80 && (s[pos + 3] & 0xC0) == 0x80) {
    const char32_t cp = ((b0 & 0x07) << 18) | ((s[pos + 1] & 0x3F) << 12) |
                        ((s[pos + 2] & 0x3F) << 6) | (s[pos + 3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
  }
  return {0xFFFD, 1};
}

}  // namespace tunepack::tokenize
