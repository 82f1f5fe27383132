#include "tunepack/quality/language.h"

#include <gtest/gtest.h>

namespace tunepack::quality {
namespace {

TEST(LanguageTest, DetectsCommonLanguages) {
  struct Case {
    const char* text;
    const char* code;
  } cases[] = {
      {"The committee met on Tuesday to review the proposal for the new library, and the "
       "discussion that followed was long but useful for everyone involved.",
       "en"},
      {"Le comité s'est réuni mardi pour examiner la proposition de nouvelle bibliothèque, et "
       "la discussion qui a suivi a été longue mais utile pour tout le monde.",
       "fr"},
      {"Der Ausschuss trat am Dienstag zusammen, um den Vorschlag für die neue Bibliothek zu "
       "prüfen, und die anschließende Diskussion war lang, aber nützlich.",
       "de"},
      {"委員会は火曜日に新しい図書館の提案を検討するために集まり、その後の議論は長かったが有益だった。",
       "ja"},
  };
  for (const Case& c : cases) {
    LanguageGuess guess = DetectLanguage(c.text);
    EXPECT_EQ(guess.code, c.code) << c.text;
    EXPECT_TRUE(guess.reliable) << c.text;
    EXPECT_GT(guess.percent, 50) << c.text;
  }
}

// CLD2's small tables (libcld2 alone) answer "un" for Esperanto, "no" for Nynorsk and "en" for
// Interlingua; these need the full tables, linked before libcld2 (src/quality/CMakeLists.txt).
TEST(LanguageTest, FullTablesAreLinked) {
  struct Case {
    const char* text;
    const char* code;
  } cases[] = {
      {"La komitato kunvenis marde por pritrakti la proponon pri la nova biblioteko, kaj la sekva "
       "diskuto estis longa sed utila por ĉiuj partoprenantoj.",
       "eo"},
      {"Komiteen møttest tysdag for å sjå på framlegget om det nye biblioteket, og ordskiftet som "
       "fylgde var langt men nyttig for alle som var med.",
       "nn"},
      {"Le committee se reuniva martedi pro examinar le proposition de un nove bibliotheca, e le "
       "discussion que sequeva esseva longe ma utile pro omnes.",
       "ia"},
  };
  for (const Case& c : cases) {
    const LanguageGuess guess = DetectLanguage(c.text);
    EXPECT_EQ(guess.code, c.code) << c.text;
    EXPECT_TRUE(guess.reliable) << c.text;
  }
}

TEST(LanguageTest, ScoreIsTheShareOfAReliableGuess) {
  EXPECT_DOUBLE_EQ((LanguageGuess{"en", 97, true}.score()), 0.97);
  EXPECT_DOUBLE_EQ((LanguageGuess{"en", 97, false}.score()), 0.0);
  EXPECT_DOUBLE_EQ(DetectLanguage("").score(), 0.0);
}

TEST(LanguageTest, EmptyAndInvalidAreUnknown) {
  EXPECT_EQ(DetectLanguage("").code, "un");
  EXPECT_EQ(DetectLanguage("\xff\xfe not utf8 \xc3").code, "un");
}

TEST(LanguageTest, Filter) {
  LanguageFilter filter(" EN, fr ");
  EXPECT_TRUE(filter.Accepts({"en", 99, true}));
  EXPECT_TRUE(filter.Accepts({"fr", 99, true}));
  EXPECT_FALSE(filter.Accepts({"de", 99, true}));
  EXPECT_FALSE(filter.Accepts({"un", 0, false}));
  EXPECT_TRUE(filter.Accepts({"un", 0, false}, /*accept_unreliable=*/true));
  EXPECT_TRUE(LanguageFilter("").Accepts({"de", 99, true}));
}

}  // namespace
}  // namespace tunepack::quality
