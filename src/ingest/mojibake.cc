// Mojibake marks. Each rule below is a trace that bytes decoded with the wrong charset leave
// and that real text in any language rarely has; the weights make the marks that are never
// legitimate (U+FFFD, C1 controls, private use) count more than the merely unusual ones.
// The CJK rule needs to know which characters are common: rather than ship a frequency
// table, the set is read from ICU's own converters (the first-level rows of the national
// standards, which are ordered by frequency of use).
#include "ingest/mojibake.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/uscript.h>

#include <string>
#include <vector>

#include "ingest/icu_callback.h"

namespace tunepack::ingest::internal {
namespace {

// Adds to `set` every character the double-byte rows [first_row, last_row] of `charset`
// decode to, for trail bytes in [first_trail, last_trail].
void AddRows(const char* charset, int first_row, int last_row, int first_trail, int last_trail,
             std::vector<bool>& set) {
  ConverterPtr converter = OpenConverter(charset);
  if (converter == nullptr) return;
  for (int row = first_row; row <= last_row; ++row) {
    for (int trail = first_trail; trail <= last_trail; ++trail) {
      const char pair[2] = {static_cast<char>(row), static_cast<char>(trail)};
      UChar out[4];
      UErrorCode status = U_ZERO_ERROR;
      ucnv_reset(converter.get());
      const int32_t n = ucnv_toUChars(converter.get(), out, 4, pair, 2, &status);
      if (U_SUCCESS(status) && n == 1 && out[0] != 0xFFFD && out[0] != 0x1A) set[out[0]] = true;
    }
  }
}

const std::vector<bool>& CommonCjk() {
  static const std::vector<bool> set = [] {
    std::vector<bool> s(0x10000, false);
    for (char32_t cp = 0x3000; cp <= 0x30FF; ++cp) s[cp] = true;  // CJK punctuation, kana
    AddRows("EUC-KR", 0xB0, 0xC8, 0xA1, 0xFE, s);                  // KS X 1001 Hangul
    AddRows("EUC-CN", 0xB0, 0xD7, 0xA1, 0xFE, s);                  // GB 2312 level 1
    AddRows("Big5", 0xA4, 0xC6, 0x40, 0x7E, s);                    // Big5 level 1
    AddRows("Big5", 0xA4, 0xC5, 0xA1, 0xFE, s);
    AddRows("EUC-JP", 0xB0, 0xCF, 0xA1, 0xFE, s);                  // JIS X 0208 level 1
    return s;
  }();
  return set;
}

bool IsLetter(char32_t cp) { return u_isalpha(static_cast<UChar32>(cp)); }

bool IsCjkScript(UScriptCode script) {
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_HANGUL;
}

// True when letters `a` and `b`, side by side, belong to scripts that do not share words.
bool ScriptsClash(char32_t a, char32_t b) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode sa = uscript_getScript(static_cast<UChar32>(a), &status);
  const UScriptCode sb = uscript_getScript(static_cast<UChar32>(b), &status);
  if (U_FAILURE(status) || sa == sb) return false;
  if (sa == USCRIPT_COMMON || sa == USCRIPT_INHERITED || sb == USCRIPT_COMMON ||
      sb == USCRIPT_INHERITED) {
    return false;
  }
  return !(IsCjkScript(sa) && IsCjkScript(sb));
}

bool IsPunctuationOrSymbol(char32_t cp) {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_CONNECTOR_PUNCTUATION: case U_DASH_PUNCTUATION: case U_START_PUNCTUATION:
    case U_END_PUNCTUATION: case U_INITIAL_PUNCTUATION: case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION: case U_MATH_SYMBOL: case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL: case U_OTHER_SYMBOL: case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

// Punctuation that legitimately stands between two letters: apostrophes, the middle dot
// (Catalan, Japanese), hyphens, and the CJK and full-width punctuation blocks.
bool JoinsLetters(char32_t cp) {
  return cp == 0x2019 || cp == 0x2018 || cp == 0x00B7 || cp == 0x2010 || cp == 0x2011 ||
         cp == 0x02BC || cp == 0x2027 || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF01 && cp <= 0xFF60);
}

// Typographic punctuation that may stand next to other punctuation in real text.
bool Typographic(char32_t cp) {
  return (cp >= 0x2010 && cp <= 0x2027) || cp == 0x00AB || cp == 0x00BB || cp == 0x00B0 ||
         cp == 0x00A1 || cp == 0x00BF ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF60);
}

bool IsLatinNonAscii(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  return cp >= 0x80 && u_isalpha(static_cast<UChar32>(cp)) &&
         uscript_getScript(static_cast<UChar32>(cp), &status) == USCRIPT_LATIN;
}

bool IsMark(char32_t cp) {
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool IsThaiConsonant(char32_t cp) { return cp >= 0x0E01 && cp <= 0x0E2E; }
bool IsThaiLeadingVowel(char32_t cp) { return cp >= 0x0E40 && cp <= 0x0E44; }
bool IsThaiToneMark(char32_t cp) { return cp >= 0x0E48 && cp <= 0x0E4B; }

bool NeverInText(char32_t cp) {
  if (cp == 0xFFFD || (cp >= 0x80 && cp <= 0x9F)) return true;
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  return type == U_PRIVATE_USE_CHAR || type == U_UNASSIGNED || type == U_SURROGATE;
}

std::u32string CodePoints(std::string_view utf8, size_t limit) {
  std::u32string out;
  size_t i = 0;
  while (i < utf8.size() && i < limit) {
    const unsigned char lead = static_cast<unsigned char>(utf8[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (i + length > utf8.size()) break;
    char32_t cp = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    out.push_back(cp);
    i += length;
  }
  return out;
}

}  // namespace

bool IsCommonCjk(char32_t cp) { return cp < 0x10000 && CommonCjk()[cp]; }

MojibakeScore ScoreMojibake(std::string_view utf8, size_t limit) {
  const std::u32string text = CodePoints(utf8, limit);
  MojibakeScore score;
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t cp = text[i];
    const char32_t prev = i > 0 ? text[i - 1] : U' ';
    const char32_t next = i + 1 < text.size() ? text[i + 1] : U' ';
    if (cp < 0x80) {
      // An ASCII letter glued to a letter of another script (Latin bytes read as Cyrillic,
      // CJK trail bytes read as ASCII) is counted from the non-ASCII side only once.
      if (IsLetter(cp) && prev >= 0x80 && IsLetter(prev) && ScriptsClash(prev, cp)) score.symptoms += 1;
      continue;
    }
    ++score.non_ascii;
    if (NeverInText(cp)) {
      score.symptoms += 3;
      ++score.never;
      continue;
    }
    const bool letter = IsLetter(cp);
    const auto odd_pair = [](char32_t a, char32_t b) {
      return a >= 0x80 && b >= 0x80 && IsPunctuationOrSymbol(a) && IsPunctuationOrSymbol(b) &&
             !(Typographic(a) && Typographic(b));
    };
    if (odd_pair(cp, prev) || odd_pair(cp, next)) {
      score.symptoms += 1;  // "¹®", "²»×": symbols side by side are bytes of another script
    }
    if (IsMark(cp)) {
      // A combining mark needs a letter to sit on (a Thai tone mark may follow a vowel mark).
      const bool carried = IsLetter(prev) || (IsThaiToneMark(cp) && IsMark(prev));
      if (!carried) score.symptoms += 1;
      continue;
    }
    if (IsThaiLeadingVowel(cp) && !IsThaiConsonant(next)) score.symptoms += 1;
    if (IsLatinNonAscii(cp) && IsLatinNonAscii(prev) && i >= 2 && IsLatinNonAscii(text[i - 2])) {
      // Three accented Latin letters in a row: Greek or Cyrillic bytes read as Latin.
      score.symptoms += 1;
    }
    if (u_charType(static_cast<UChar32>(cp)) == U_FORMAT_CHAR && IsLetter(prev) && IsLetter(next)) {
      score.symptoms += 1;  // direction marks inside a word: Turkish ı, ş read as Arabic
    }
    if (cp >= 0x2500 && cp <= 0x25FF && (IsLetter(prev) || IsLetter(next))) {
      score.symptoms += 2;  // box drawing inside a word: a letter of the right charset
    } else if (!letter && IsPunctuationOrSymbol(cp) && IsLetter(prev) && IsLetter(next) &&
               !JoinsLetters(cp)) {
      score.symptoms += 1;
    } else if (cp >= 0xFF61 && cp <= 0xFF9F) {
      score.symptoms += 1;  // half-width katakana: EUC-JP read as Shift_JIS
    }
    if (!letter) continue;
    if (IsLetter(prev) && ScriptsClash(prev, cp)) score.symptoms += 1;
    if (u_isupper(static_cast<UChar32>(cp)) && u_islower(static_cast<UChar32>(prev))) {
      score.symptoms += 1;  // "пРИВЕТ": the cases of a neighbouring code page
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
    if ((script == USCRIPT_HAN || script == USCRIPT_HANGUL) && !IsCommonCjk(cp)) {
      score.symptoms += 1;
    }
  }
  return score;
}

}  // namespace tunepack::ingest::internal
