#include "tunepack/quality/language.h"

#include <algorithm>
#include <climits>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "quality/south_slavic_cyrillic.h"

namespace tunepack::quality {

LanguageGuess DetectLanguage(std::string_view text) {
  LanguageGuess guess;
  // CLD2 takes an int length; the first 1 MB decides any realistic record.
  const int length = static_cast<int>(std::min<size_t>(text.size(), 1 << 20));
  if (length == 0) return guess;
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      text.data(), length, /*is_plain_text=*/true, &hints, /*flags=*/0, language3, percent3,
      scores3, /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
  // A record cut at 1 MB may end inside a character; what came before still counts.
  if (valid_prefix < length && valid_prefix < length - 4) return guess;
  if (language == CLD2::UNKNOWN_LANGUAGE) return guess;
  guess.code = RefineSouthSlavicCyrillic(text.substr(0, length), CLD2::LanguageCode(language));
  guess.percent = percent3[0];
  guess.reliable = reliable;
  return guess;
}

LanguageFilter::LanguageFilter(std::string_view list) {
  std::string current;
  auto flush = [&] {
    if (!current.empty()) codes_.push_back(current);
    current.clear();
  };
  for (char c : list) {
    if (c == ',') {
      flush();
    } else if (c != ' ' && c != '\t') {
      current.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
    }
  }
  flush();
}

bool LanguageFilter::Accepts(const LanguageGuess& guess, bool accept_unreliable) const {
  if (codes_.empty()) return true;
  if (!guess.reliable && accept_unreliable) return true;
  return std::find(codes_.begin(), codes_.end(), guess.code) != codes_.end();
}

}  // namespace tunepack::quality
