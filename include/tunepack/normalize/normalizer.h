// Text normalisation applied to every document and record text before it is written:
// Unicode normal form, line endings, control characters, trailing spaces, blank lines.
// Each step can be switched off; the defaults are docs/ingest.md's ("Normalisation").
#pragma once

#include "tunepack/core/enum_table.h"
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::normalize {

enum class UnicodeForm { kNone, kNfc, kNfkc };
inline constexpr EnumTable<UnicodeForm, 3> kUnicodeForms{
    "unicode-form",
    {{{UnicodeForm::kNfc, "nfc"}, {UnicodeForm::kNfkc, "nfkc"}, {UnicodeForm::kNone, "none"}}}};

struct NormalizeOptions {
  UnicodeForm form = UnicodeForm::kNfc;
  bool newlines = true;          ///< CRLF and CR become LF
  bool control_chars = true;     ///< remove C0/C1 controls except tab and newline, and stray U+FEFF
  bool trailing_spaces = true;   ///< trim spaces and tabs at the end of each line
  bool blank_lines = true;       ///< collapse runs of blank lines to one blank line

  // Returns options with every step switched off: Normalize then returns its input as is.
  static NormalizeOptions None();
};

// Parses "nfc", "nfkc" or "none".
inline Result<UnicodeForm> ParseUnicodeForm(std::string_view name) { return kUnicodeForms.Parse(name); }

// Returns "none", "nfc" or "nfkc", for manifests and error messages.
inline std::string_view UnicodeFormName(UnicodeForm form) { return kUnicodeForms.Name(form); }

// Returns true when `cp` is NFC-inert: it has combining class 0 and is its own NFC, and no
// two inert code points compose with each other (ASCII to U+02FF, Greek and Cyrillic
// letters, Hebrew and Arabic letters, kana without voicing marks, CJK ideographs,
// precomposed Hangul), so NFC leaves text made only of them as it is.
// Used to skip text that is already NFC.
bool IsNfcInert(char32_t cp);

// Returns `text` (valid UTF-8) normalised by `options`. The steps run in this order: line
// endings, control characters, Unicode form, trailing spaces, blank lines. Text that needs no
// change (typically short ASCII records) costs one scan and a copy. Invalid UTF-8, which
// callers should not pass, is repaired with U+FFFD when the Unicode form step runs.
//
// Example:
//   Normalize("Cafe\u0301 \r\n\r\n\r\nx", {})  // "Caf\u00e9\n\nx"
std::string Normalize(std::string_view text, const NormalizeOptions& options);

// Code is data: inside it, documents are never changed beyond line endings (no Unicode
// form, no control-character removal, no trailing-space trim, no blank-line collapse).
// (verbatim.cc)

// Returns the steps of `options` that apply inside code: line endings only.
NormalizeOptions CodeOptions(const NormalizeOptions& options);
// Returns the steps of `options` that work on characters (Unicode form, control
// characters), for text normalised piece by piece before it is laid out in lines.
NormalizeOptions CharacterOptions(const NormalizeOptions& options);
// Returns the steps of `options` that work on lines (line endings, trailing spaces, blank
// lines).
NormalizeOptions LineOptions(const NormalizeOptions& options);

// TextRange: the bytes [begin, end) of a text.
struct TextRange {
  size_t begin = 0;
  size_t end = 0;
};

// Returns `text` normalised by `options`, except that inside the `verbatim` ranges (sorted,
// not overlapping) only CodeOptions apply. The text between ranges is normalised piece by
// piece; its spaces before a range that starts mid-line are kept (the line goes on). Give
// `text` LF line endings when ranges start or end next to a line break.
//
// Example:
//   NormalizeExcept("a  \n```\nx  \n\n\n\ny\n```\n", {{8, 18}}, {})
//     // "a\n```\nx  \n\n\n\ny\n```\n": the code keeps its spaces and blank lines
std::string NormalizeExcept(std::string_view text, const std::vector<TextRange>& verbatim,
                            const NormalizeOptions& options);

}  // namespace tunepack::normalize
