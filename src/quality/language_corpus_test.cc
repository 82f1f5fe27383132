// Accuracy of language identification on a multilingual corpus built at test time from the
// translation catalogues Debian installs (GLib's and GTK's messages, packages libglib2.0-data and
// libgtk-3-common, both in scripts/setup): each locale's translated messages, joined into
// documents of a few sentences, labelled with the locale's language. Nobody on the project wrote
// these texts, and the labels come from the translators, not from CLD2.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tunepack/quality/language.h"

namespace tunepack::quality {
namespace {

// Returns the translations (first plural form) of the GNU .mo catalogue at `path`, in catalogue
// order, or nothing when it cannot be read.
std::vector<std::string> ReadMoTranslations(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u32 = [&](size_t at) -> uint32_t {
    if (at + 4 > data.size()) return 0;
    return static_cast<uint32_t>(static_cast<unsigned char>(data[at])) |
           static_cast<uint32_t>(static_cast<unsigned char>(data[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(data[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(data[at + 3])) << 24;
  };
  std::vector<std::string> out;
  if (u32(0) != 0x950412deu) return out;  // little-endian catalogues only (Debian amd64/arm64)
  const uint32_t count = u32(8), originals = u32(12), translations = u32(16);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t id_length = u32(originals + 8 * i), id_offset = u32(originals + 8 * i + 4);
    const uint32_t length = u32(translations + 8 * i), offset = u32(translations + 8 * i + 4);
    if (id_length == 0 || offset + length > data.size() || id_offset + id_length > data.size()) {
      continue;  // the header entry, or a damaged one
    }
    std::string original = data.substr(id_offset, id_length);
    std::string translation = data.substr(offset, length);
    original = original.substr(original.find('\x04') == std::string::npos ? 0 : original.find('\x04') + 1);
    translation = translation.substr(0, translation.find('\0'));
    if (original.find('\0') != std::string::npos) original.resize(original.find('\0'));
    if (translation.empty() || translation == original) continue;  // untranslated
    out.push_back(translation);
  }
  return out;
}

// The CLD2 code a locale's texts should get, or nothing for languages CLD2 does not know
// (Asturian, Aragonese, Old English, Crimean Tatar, Friulian, Ido, Kongo, Limburgish, Low German,
// Walloon, Maithili, Shavian-script English, Latin-script Belarusian and Kurmanji, Arabic-script
// Azerbaijani: none is in CLD2's tables, see docs/optimize.md).
std::optional<std::string> ExpectedCode(const std::string& locale) {
  static const std::map<std::string, std::string> kSpecial = {
      {"nb", "no"},     {"he", "iw"},      {"zh_CN", "zh"},
      {"zh_TW", "zh-Hant"}, {"zh_HK", "zh-Hant"}, {"sr@latin", "sr"}, {"sr@ije", "sr"}, {"ckb", "ku"},
      {"uz@cyrillic", "uz"}, {"ca@valencia", "ca"}, {"tl", "tl"},  {"jv", "jw"}};
  static const std::vector<std::string> kUnknownToCld2 = {
      "an", "ang", "ast", "crh", "fur", "io", "kg", "li", "nds", "wa", "mai", "en@shaw",
      "be@latin", "az_IR", "ku"};
  if (std::find(kUnknownToCld2.begin(), kUnknownToCld2.end(), locale) != kUnknownToCld2.end()) {
    return std::nullopt;
  }
  if (auto it = kSpecial.find(locale); it != kSpecial.end()) return it->second;
  return locale.substr(0, locale.find_first_of("_@"));
}

struct LabelledDocument {
  std::string locale, expected, text;
};

// Up to `per_language` documents of at least `min_bytes` per locale: consecutive translated
// messages joined with spaces (short UI labels alone say little; GLib's messages are sentences).
std::vector<LabelledDocument> BuildCorpus(size_t per_language, size_t min_bytes) {
  std::vector<LabelledDocument> corpus;
  const std::filesystem::path root = "/usr/share/locale";
  if (!std::filesystem::is_directory(root)) return corpus;
  std::vector<std::string> locales;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    locales.push_back(entry.path().filename().string());
  }
  std::sort(locales.begin(), locales.end());
  for (const std::string& locale : locales) {
    const std::optional<std::string> expected = ExpectedCode(locale);
    if (!expected) continue;
    std::vector<std::string> messages;
    for (const char* catalogue : {"glib20.mo", "gtk30.mo"}) {
      std::vector<std::string> more = ReadMoTranslations(root / locale / "LC_MESSAGES" / catalogue);
      messages.insert(messages.end(), more.begin(), more.end());
    }
    std::string text;
    size_t documents = 0;
    for (const std::string& message : messages) {
      if (documents == per_language) break;
      // Labels ("_Open", "%d KB") carry little language, markup and placeholders none.
      // Sentences only: four spaces or more, no markup, no paths.
      if (std::count(message.begin(), message.end(), ' ') < 4 ||
          message.find_first_of("<>{}\\/=") != std::string::npos) {
        continue;
      }
      for (char c : message) {
        if (c != '_' && c != '%') text += c == '\n' ? ' ' : c;
      }
      text += ' ';
      if (text.size() >= min_bytes) {
        corpus.push_back({locale, *expected, std::move(text)});
        text.clear();
        ++documents;
      }
    }
  }
  return corpus;
}

// Bosnian, Croatian and Serbian are one macrolanguage (ISO 639-3 hbs) whose GNOME translations
// share much of their text; the second figure counts a guess inside the group as right.
bool SameMacrolanguage(const std::string& a, const std::string& b) {
  auto serbo_croatian = [](const std::string& code) { return code == "bs" || code == "hr" || code == "sr"; };
  return a == b || (serbo_croatian(a) && serbo_croatian(b));
}

// Measured (Debian 12, December 2026 catalogues): 1,084 documents, 91 languages; exact 0.9677,
// with bs/hr/sr as one 0.9871 (CLD2's own guesses: 0.9649 and 0.9843; the alphabet check of
// south_slavic_cyrillic.h gives Bulgarian back its 3 documents). With CLD2's small tables
// (libcld2 alone) the same corpus scores 0.8404 and 0.8542 (docs/optimize.md). The thresholds sit just under the measured figures so
// that a catalogue update cannot fail CI.
TEST(LanguageCorpusTest, AccuracyOnTranslationCatalogues) {
  const std::vector<LabelledDocument> corpus = BuildCorpus(/*per_language=*/12, /*min_bytes=*/500);
  std::map<std::string, int> languages;
  for (const LabelledDocument& document : corpus) ++languages[document.expected];
  ASSERT_GE(languages.size(), 80u) << "too few catalogues under /usr/share/locale: install "
                                      "libglib2.0-data and libgtk-3-common (scripts/setup)";
  size_t exact = 0, macro = 0;
  std::map<std::string, std::string> misses;
  for (const LabelledDocument& document : corpus) {
    const LanguageGuess guess = DetectLanguage(document.text);
    if (guess.code == document.expected) ++exact;
    if (SameMacrolanguage(guess.code, document.expected)) ++macro;
    if (guess.code != document.expected) misses[document.locale] += guess.code + " ";
  }
  const double n = static_cast<double>(corpus.size());
  std::printf("language identification: %zu documents, %zu languages, accuracy %.4f exact, %.4f "
              "with bs/hr/sr as one\n",
              corpus.size(), languages.size(), exact / n, macro / n);
  for (const auto& [locale, got] : misses) std::printf("  %s -> %s\n", locale.c_str(), got.c_str());
  EXPECT_GE(exact / n, 0.96);
  EXPECT_GE(macro / n, 0.98);
}

}  // namespace
}  // namespace tunepack::quality
