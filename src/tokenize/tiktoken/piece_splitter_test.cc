#include "tokenize/tiktoken/piece_splitter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tunepack::tokenize {
namespace {

std::vector<std::string> SplitWith(std::string_view pattern, std::string_view text) {
  auto pretokenizer = MakePreTokenizer(pattern);
  EXPECT_TRUE(pretokenizer.ok());
  std::vector<Piece> pieces;
  EXPECT_TRUE((*pretokenizer)->Split(text, &pieces).ok());
  std::vector<std::string> out;
  for (const Piece& piece : pieces) out.emplace_back(text.substr(piece.begin, piece.end - piece.begin));
  return out;
}

using ::testing::ElementsAre;

TEST(Gpt2ScannerTest, SplitsWordsSpacesAndContractions) {
  EXPECT_THAT(SplitWith(kGpt2Pattern, "Hello world's  end\n\n12345 !!"),
              ElementsAre("Hello", " world", "'s", " ", " end", "\n", "\n", "12345", " !!"));
}

TEST(Gpt2ScannerTest, ContractionsAreCaseSensitive) {
  EXPECT_THAT(SplitWith(kGpt2Pattern, "I'M"), ElementsAre("I", "'", "M"));
}

TEST(Cl100kScannerTest, MatchesThePattern) {
  EXPECT_THAT(SplitWith(kCl100kPattern, "Hello world's  end\n\n12345 !!\n"),
              ElementsAre("Hello", " world", "'s", " ", " end", "\n\n", "123", "45", " !!\n"));
  EXPECT_THAT(SplitWith(kCl100kPattern, "I'M (hello) \tx  \n y"),
              ElementsAre("I", "'M", " (", "hello", ")", " ", "\tx", "  \n", " y"));
}

TEST(Cl100kScannerTest, LongSIsFoldedToS) {
  EXPECT_THAT(SplitWith(kCl100kPattern, "it'\xC5\xBF"), ElementsAre("it", "'\xC5\xBF"));
}

TEST(O200kScannerTest, SplitsCamelCaseAndKeepsContractions) {
  EXPECT_THAT(SplitWith(kO200kPattern, "HelloWorld HTTPServer don't a/b//\n"),
              ElementsAre("Hello", "World", " HTTPServer", " don't", " a", "/b", "//\n"));
}

TEST(O200kScannerTest, BacktracksToTheLastModifierOrOtherLetter) {
  // U+02B0 (Lm) is both upper-ish and lower-ish: "AʰB" then a space ends with the Lm.
  EXPECT_THAT(SplitWith(kO200kPattern, "A\xCA\xB0" "B c"), ElementsAre("A\xCA\xB0", "B", " c"));
}

TEST(RegexPreTokenizerTest, MatchesScannerOnTheSamePattern) {
  // A copy of the cl100k pattern with a harmless change goes through PCRE2.
  const std::string pattern = std::string(kCl100kPattern) + "|\\x{10FFFF}";
  const std::string text = "Hello world's  end\n\n12345 !!\n I'M (hello) \tx  \n y";
  EXPECT_EQ(SplitWith(pattern, text), SplitWith(kCl100kPattern, text));
}

TEST(RegexPreTokenizerTest, RejectsABadPattern) {
  EXPECT_FALSE(MakePreTokenizer("(unclosed").ok());
}

TEST(RegexPreTokenizerTest, APatternThatGivesUpIsAnErrorNotFewerPieces) {
  // (a+)+$ backtracks exponentially on a's that end in b: PCRE2 stops at its match limit,
  // and the pieces found so far would leave the rest of the text unencoded.
  auto pretokenizer = MakePreTokenizer("(a+)+$|a");
  ASSERT_TRUE(pretokenizer.ok());
  std::vector<Piece> pieces;
  EXPECT_TRUE((*pretokenizer)->Split("aab", &pieces).ok());
  EXPECT_EQ(pieces.size(), 2u);
  const Status status = (*pretokenizer)->Split(std::string(24, 'a') + "b", &pieces);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("regex gave up"));
}

TEST(RegexPreTokenizerTest, LongPiecesFitTheJitStack) {
  // A lazy pattern over a 1 MB piece needs more than PCRE2's default 32 KiB JIT stack; it
  // must match, not fail.
  auto pretokenizer = MakePreTokenizer("(?:a|b)+?c|[ab]+");
  ASSERT_TRUE(pretokenizer.ok());
  std::vector<Piece> pieces;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += i % 3 ? 'a' : 'b';
  text += 'c';
  ASSERT_TRUE((*pretokenizer)->Split(text, &pieces).ok());
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].end, text.size());
}

}  // namespace
}  // namespace tunepack::tokenize
