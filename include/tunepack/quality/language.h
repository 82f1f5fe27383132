// Language identification with CLD2 (Debian package libcld2-dev; 83 languages, or more
// with its extended codes), recorded per record and usable as a filter (--languages en,fr).
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
