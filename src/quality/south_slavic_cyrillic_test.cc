#include "quality/south_slavic_cyrillic.h"

#include <gtest/gtest.h>

namespace tunepack::quality {
namespace {

// The same sentence ("The file could not be opened because it is being used by another
// program") in each language's own spelling.
constexpr const char* kBulgarian = "Файлът не може да бъде отворен, защото се използва от друга програма.";
constexpr const char* kMacedonian = "Датотеката не може да се отвори бидејќи ја користи друга програма.";
constexpr const char* kSerbian = "Датотека не може да се отвори јер је користи други програм, покушаћемо поново.";

TEST(SouthSlavicCyrillicTest, LettersOnlyOneAlphabetHasDecide) {
  for (const char* guess : {"bg", "mk", "sr"}) {
    EXPECT_EQ(RefineSouthSlavicCyrillic(kBulgarian, guess), "bg") << guess;
    EXPECT_EQ(RefineSouthSlavicCyrillic(kMacedonian, guess), "mk") << guess;
    EXPECT_EQ(RefineSouthSlavicCyrillic(kSerbian, guess), "sr") << guess;
  }
}

TEST(SouthSlavicCyrillicTest, UpperCaseLettersCount) {
  EXPECT_EQ(RefineSouthSlavicCyrillic("ЗАЩО НЕ МОЖЕ", "sr"), "bg");
  EXPECT_EQ(RefineSouthSlavicCyrillic("ЌЕ ДОЈДЕ", "sr"), "mk");
  EXPECT_EQ(RefineSouthSlavicCyrillic("ЋЕ ДОЋИ", "mk"), "sr");
}

TEST(SouthSlavicCyrillicTest, WithoutProofTheGuessStands) {
  // Only letters all three share, or only the letters Serbian and Macedonian share.
  EXPECT_EQ(RefineSouthSlavicCyrillic("не може да се отвори", "sr"), "sr");
  EXPECT_EQ(RefineSouthSlavicCyrillic("не може да се отвори", "mk"), "mk");
  EXPECT_EQ(RefineSouthSlavicCyrillic("њега и њу", "mk"), "mk");
  // Bulgarian letters beside Serbian ones (a quoted name) prove nothing.
  EXPECT_EQ(RefineSouthSlavicCyrillic("Љубљана и Щип", "sr"), "sr");
  // Both Macedonian and Serbian letters.
  EXPECT_EQ(RefineSouthSlavicCyrillic("ќе и ће", "sr"), "sr");
}

TEST(SouthSlavicCyrillicTest, OtherLanguagesAndLatinScriptAreLeftAlone) {
  EXPECT_EQ(RefineSouthSlavicCyrillic(kBulgarian, "ru"), "ru");
  EXPECT_EQ(RefineSouthSlavicCyrillic("Datoteka se ne može otvoriti, pokušaćemo ponovo.", "sr"), "sr");
  EXPECT_EQ(RefineSouthSlavicCyrillic("Datoteka se ne može otvoriti.", "hr"), "hr");
  EXPECT_EQ(RefineSouthSlavicCyrillic("", "sr"), "sr");
  // A lead byte at the very end, or followed by something that is not a continuation byte.
  EXPECT_EQ(RefineSouthSlavicCyrillic("\xD1", "sr"), "sr");
  EXPECT_EQ(RefineSouthSlavicCyrillic("\xD1\x89\xD1", "sr"), "bg");
  EXPECT_EQ(RefineSouthSlavicCyrillic("\xD1" "a\xD1\x9B", "bg"), "sr");
}

}  // namespace
}  // namespace tunepack::quality
