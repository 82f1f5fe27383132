// A language-plausibility second opinion on a decoding: counts the marks that text decoded
// with the wrong charset leaves (mojibake), without any language's word list. Used by
// DecodeToUtf8 to choose between candidate charsets when the statistical detectors are
// unsure (short inputs) or pick a near miss (a subset of the right charset). Internal.
#pragma once

#include <cstddef>
#include <string_view>

namespace tunepack::ingest::internal {

// MojibakeScore: how implausible a decoded text looks.
struct MojibakeScore {
  double symptoms = 0;    ///< weighted count of implausible characters (see mojibake.cc)
  size_t non_ascii = 0;   ///< characters above U+007F: what the symptoms are out of
  size_t never = 0;       ///< characters text never has: U+FFFD, C1 controls, private use
  // The symptoms other than the `never` characters (weighted 3 each).
  double Unusual() const { return symptoms - 3.0 * static_cast<double>(never); }
  // Symptoms per non-ASCII character; 0 for a text with no non-ASCII character.
  double Rate() const { return non_ascii == 0 ? 0 : symptoms / static_cast<double>(non_ascii); }
};

// Scores `utf8` (valid UTF-8), looking at no more than its first `limit` bytes.
MojibakeScore ScoreMojibake(std::string_view utf8, size_t limit = 256 * 1024);

// True when `cp` is one of the CJK characters everyday text uses: kana, the Hangul syllables
// of KS X 1001, and the first-level Han characters of GB 2312, Big5 and JIS X 0208.
bool IsCommonCjk(char32_t cp);

}  // namespace tunepack::ingest::internal
