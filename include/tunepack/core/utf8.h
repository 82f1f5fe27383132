// UTF-8 helpers: validation, repair of invalid sequences, positions for error messages.
#pragma once

#include "tunepack/core/enum_table.h"
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack {

// What to do with byte sequences that are not valid UTF-8 (--on-invalid-utf8).
enum class InvalidUtf8Policy {
  kReplace,  ///< replace each maximal invalid subpart with U+FFFD (the WHATWG/Unicode practice)
  kSkip,     ///< drop the invalid bytes
  kFail,     ///< reject the input
};

inline constexpr EnumTable<InvalidUtf8Policy, 3> kInvalidUtf8Policies{
    "on-invalid-utf8",
    {{{InvalidUtf8Policy::kReplace, "replace"}, {InvalidUtf8Policy::kSkip, "skip"},
      {InvalidUtf8Policy::kFail, "fail"}}}};

// Parses "replace", "skip" or "fail".
inline Result<InvalidUtf8Policy> ParseInvalidUtf8Policy(std::string_view name) {
  return kInvalidUtf8Policies.Parse(name);
}

// Returns the byte offset of the first invalid UTF-8 sequence in `text`, or text.size() when
// it is all valid. Overlong forms, surrogates (U+D800..DFFF) and values past U+10FFFF are
// invalid, as are sequences truncated at the end.
size_t FindInvalidUtf8(std::string_view text);

// Returns true when `text` is entirely valid UTF-8.
inline bool IsValidUtf8(std::string_view text) { return FindInvalidUtf8(text) == text.size(); }

// RepairReport: what RepairUtf8 found.
struct RepairReport {
  size_t invalid_sequences = 0;  ///< maximal invalid subparts replaced or dropped
  size_t first_invalid = 0;      ///< byte offset of the first one (valid when invalid_sequences>0)
};

// Copies `text` to `out` (replacing its contents) applying `policy` to invalid sequences.
// With kFail, returns DataLoss naming the byte offset of the first invalid sequence.
Result<RepairReport> RepairUtf8(std::string_view text, InvalidUtf8Policy policy, std::string* out);

// Decodes the code point starting at text[pos] and advances pos. Invalid bytes decode as
// U+FFFD one byte at a time. `pos` must be < text.size().
char32_t DecodeUtf8(std::string_view text, size_t& pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// TextPosition: a 1-based line and column; columns count code points, not bytes.
struct TextPosition {
  uint64_t line = 1;
  uint64_t column = 1;
};

// Returns the line and column of byte `offset` in `text`.
TextPosition PositionOf(std::string_view text, size_t offset);

}  // namespace tunepack
