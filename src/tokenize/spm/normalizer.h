// Normalizer: SentencePiece's normalisation of a text before its model runs, driven by the
// model's NormalizerSpec: the precompiled charsmap (a double-array trie of rewrite rules,
// the longest rule matching at a position wins), user-defined symbols kept verbatim,
// leading, trailing and repeated spaces removed (remove_extra_whitespaces), a space added
// in front (add_dummy_prefix) and spaces written as U+2581 "▁" (escape_whitespaces).
// Bytes that are not UTF-8 become U+FFFD one byte at a time, as in SentencePiece.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/spm/model_proto.h"
#include "tokenize/spm/piece_trie.h"
#include "tunepack/core/result.h"

namespace tunepack::tokenize::spm {

// The space symbol U+2581 (LOWER ONE EIGHTH BLOCK) in UTF-8.
inline constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";

// Returns the length of the UTF-8 sequence that starts with `lead`, as SentencePiece's
// OneCharLen reads it (from the high nibble only; a stray continuation byte counts as 1).
inline size_t OneCharLength(char lead) {
  return "\1\1\1\1\1\1\1\1\1\1\1\1\2\2\3\4"[static_cast<uint8_t>(lead) >> 4];
}

// Returns the length of the valid UTF-8 character (no surrogate, no overlong form) that
// starts `text`, or 0 when its first byte starts none. `text` is not empty.
size_t ValidCharLength(std::string_view text);

// Charsmap: the precompiled_charsmap blob, read in place: a uint32 trie size, a darts-clone
// double array of that many bytes, then the replacement strings, each ended by NUL.
class Charsmap {
 public:
  // Returns InvalidArgument when `blob` is too short for the size it declares.
  static Result<Charsmap> Read(std::string_view blob);

  // Returns the length of the longest rule that is a prefix of `text` (0: none) and sets
  // *replacement to what it becomes. Only the first 32 prefixes found count, as in
  // SentencePiece (its builder keeps rules within that bound).
  size_t LongestRule(std::string_view text, std::string_view* replacement) const;

  // Returns whether some rule starts with the bytes `prefix`; with `whole`, whether
  // `prefix` is itself a rule.
  bool HasRuleStartingWith(std::string_view prefix, bool whole = false) const;

  // A place in the trie after some bytes, for walking it a byte at a time.
  struct Cursor {
    size_t node = 0;
    bool whole = false;  // the bytes walked are a rule
  };
  // Returns the cursor before any byte (and false when there are no rules).
  bool Start(Cursor* cursor) const;
  // Moves *cursor past `label`; returns false, leaving it as it was, when no rule starts
  // with the bytes walked and `label`.
  bool Step(uint8_t label, Cursor* cursor) const;

 private:
  std::vector<uint32_t> units_;
  std::string replacements_;
};

class Normalizer {
 public:
  // `user_defined` are the user-defined symbols, matched longest first and never rewritten.
  static Result<Normalizer> Create(const SentencePieceNormalizerSpec& spec, bool whitespace_as_suffix,
                                   const std::vector<std::string_view>& user_defined);

  // Writes the normalised `input` to *normalized and, when norm_to_orig is not null, for
  // every byte of it plus one the offset in `input` of the character it came from.
  void Normalize(std::string_view input, std::string* normalized,
                 std::vector<uint32_t>* norm_to_orig) const;

 private:
  // Returns the normalised text of the character or rule at the start of `input` (not
  // empty) and sets *consumed to the input bytes it covers.
  std::string_view NormalizePrefix(std::string_view input, size_t* consumed) const;

  // Fills wide_lookup_, wide_class_ and wide_continues_ from the charsmap (after kept_as_is_).
  void ClassifyWideCharacters();

  // Returns the length of the character of two or three bytes at the start of `input`
  // (its lead byte one of wide_lookup_'s) when it stays as it is, else 0.
  size_t KeptWideLength(std::string_view input) const;

  // The lead bytes of the characters that stay as they are (no rule and no user-defined
  // symbol starts with them, and not a space): runs of them are copied at once.
  std::array<bool, 256> kept_as_is_{};
  // For an ASCII byte that some rule starts with but that is no rule itself (NFKC composes
  // "a" and a combining accent), the bytes after it that continue such a rule; before any
  // other byte it stays as it is too.
  std::array<bool, 128> kept_unless_continued_{};
  std::array<std::array<bool, 256>, 128> continues_rule_{};
  // The ASCII bytes normalised as a space is: the space when no rule rewrites it, and bytes
  // whose own rule writes " " (continues_rule_ tells what follows them in a longer rule).
  std::array<bool, 128> becomes_space_{};
  // Characters of two and three bytes whose lead byte some rule starts with: most of them
  // (Cyrillic, Hangul, CJK) are no rule's start either and stay as they are, and knowing
  // that per character keeps them in the copied runs, out of NormalizePrefix's walk. Lead
  // bytes looked up here (kept_as_is_ false, no user-defined symbol starting with them):
  std::array<bool, 256> wide_lookup_{};
  // By code point (U+0080-U+FFFF): kWideRewritten (what NormalizePrefix says), kWideKept, or
  // kWideKept + 1 + i: kept unless the byte after it is in wide_continues_[i] (a rule that
  // starts with the character and goes on, as a letter and a combining accent compose).
  static constexpr uint8_t kWideRewritten = 0;
  static constexpr uint8_t kWideKept = 1;
  std::vector<uint8_t> wide_class_;
  std::vector<std::array<bool, 256>> wide_continues_;
  SentencePieceNormalizerSpec spec_;
  bool whitespace_as_suffix_ = false;
  bool has_charsmap_ = false;
  Charsmap charsmap_;
  PieceTrie user_defined_;
};

}  // namespace tunepack::tokenize::spm
