// Language identification with CLD2 (Debian package libcld2-dev) and its full tables
// (libcld2_full: 160+ languages, listed in docs/optimize.md), recorded per record and usable
// as a filter (--languages en,fr).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunepack::quality {

// LanguageGuess: CLD2's answer for one text.
struct LanguageGuess {
  std::string code = "un";  ///< ISO 639-1 where one exists ("en", "de", "zh"), "un" unknown
  int percent = 0;          ///< share of the text's letters in that language, 0..100
  bool reliable = false;    ///< CLD2's own judgement (length, margin over the runner-up)

  // The confidence recorded as metadata "language_score": the share of the text in that
  // language, 0..1 (percent / 100), and 0 when CLD2 itself calls the guess unreliable.
  double score() const { return reliable ? percent / 100.0 : 0.0; }
};

// Returns the main language of `text` (plain text, UTF-8; invalid UTF-8 gives "un").
// Thread-safe: CLD2 keeps no state between calls.
LanguageGuess DetectLanguage(std::string_view text);

// LanguageFilter: --languages. An empty list accepts everything.
class LanguageFilter {
 public:
  // Parses "en,fr, de" (lower-cased, white space ignored).
  explicit LanguageFilter(std::string_view list);

  // Returns whether `guess` passes: its code is listed. Unreliable guesses pass only when
  // `accept_unreliable` (short records are often unreliable and mostly fine).
  bool Accepts(const LanguageGuess& guess, bool accept_unreliable = false) const;

  bool empty() const { return codes_.empty(); }

 private:
  std::vector<std::string> codes_;
};

}  // namespace tunepack::quality
