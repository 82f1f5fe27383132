#include "tunepack/quality/gopher.h"

#include <gtest/gtest.h>

#include <string>

#include "support/status_matchers.h"

namespace tunepack::quality {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using ::testing::HasSubstr;

// Ordinary prose of about 120 words that should pass every rule.
const char kProse[] =
    "The committee met on Tuesday to review the proposal for the new library, and the "
    "discussion that followed was long but useful. Several members argued that the building "
    "should have a larger reading room with natural light, while others wanted to keep the "
    "budget for books and staff. In the end they agreed to ask the architect for two designs, "
    "one with the larger room and one without it, and to compare the costs at the next "
    "meeting. The chair thanked everyone for their patience and reminded them that the "
    "public consultation will open in March. Residents can send comments by post or in "
    "person at the town hall, where copies of the plans will be on display for six weeks.";

std::string Reason(std::string_view text) {
  GopherScores scores = ScoreGopher(text);
  std::vector<QualityRule> rules = DefaultGopherRules();
  const QualityRule* failed = FirstFailedRule(rules, scores);
  return failed ? FailureReason(*failed, scores) : "";
}

TEST(GopherTest, ProsePassesAndScoresAreSensible) {
  GopherScores s = ScoreGopher(kProse);
  EXPECT_GT(s.words, 100u);
  EXPECT_GT(s.mean_word_length, 3.5);
  EXPECT_LT(s.mean_word_length, 6.0);
  EXPECT_EQ(s.stop_words, 8u);  // distinct: all eight occur
  // Punctuation tokens are words without letters: 121 of 131 tokens have one.
  EXPECT_GT(s.alpha_words, 0.9);
  EXPECT_LT(s.alpha_words, 1.0);
  EXPECT_DOUBLE_EQ(s.dup_lines, 0.0);
  EXPECT_DOUBLE_EQ(s.dup_ngram_chars[0], 0.0);
  EXPECT_EQ(Reason(kProse), "");
}

TEST(GopherTest, ShortTextFailsMinWords) {
  EXPECT_EQ(Reason("The cat sat on the mat and that was that."), "quality: min_words (10 < 50)");
}

TEST(GopherTest, SymbolOnlyWordsDoNotCount) {
  // Tokens: hello, --, world, ..., !, ! (the tokenizer splits "!!").
  GopherScores s = ScoreGopher("hello -- world ... !!");
  EXPECT_EQ(s.words, 2u);
  EXPECT_DOUBLE_EQ(s.alpha_words, 2.0 / 6.0);
}

TEST(GopherTest, HashesAndEllipses) {
  std::string text = std::string(kProse);
  for (char c = 'a'; c <= 'z'; ++c) text += std::string(" #") + c;
  EXPECT_NE(Reason(text).find("max_hash_to_word"), std::string::npos) << Reason(text);
  // Per token, and "..." and "…" are tokens: 2 of 5.
  GopherScores s = ScoreGopher("one... two… three");
  EXPECT_NEAR(s.ellipsis_to_word, 2.0 / 5.0, 1e-9);
}

TEST(GopherTest, BulletAndEllipsisLines) {
  // Five lines, the blank one included (str.splitlines).
  GopherScores s = ScoreGopher("- a\n- b\n\n  • c\nd...\n");
  EXPECT_DOUBLE_EQ(s.bullet_lines, 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(s.ellipsis_lines, 1.0 / 5.0);
}

TEST(GopherTest, RepeatedLinesAndParagraphs) {
  GopherScores s = ScoreGopher("aa\nbb\naa\n\naa\n\ncc");
  // Lines: aa bb aa aa cc -> 2 repeats of 5; paragraphs: "aa\nbb\naa", "aa", "cc" -> 0.
  EXPECT_DOUBLE_EQ(s.dup_lines, 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(s.dup_line_chars, 4.0 / 16.0);  // 16 characters in all
  EXPECT_DOUBLE_EQ(s.dup_paragraphs, 0.0);
  GopherScores p = ScoreGopher("x y\n\nx y\n\nz");
  EXPECT_DOUBLE_EQ(p.dup_paragraphs, 1.0 / 3.0);
}

TEST(GopherTest, RepetitiveTextFailsNgramRules) {
  std::string spam;
  for (int i = 0; i < 40; ++i) spam += "buy cheap watches today ";
  GopherScores s = ScoreGopher(spam);
  // "buy cheap" (9 chars) x 40 over 960 chars.
  EXPECT_NEAR(s.top_ngram_chars[0], 9.0 * 40 / 960, 1e-9);
  // Repeated 5-grams are counted without their spaces: 39 x 20 letters... of 960.
  EXPECT_GT(s.dup_ngram_chars[0], 0.75);
  EXPECT_NE(Reason(spam).find("quality: "), std::string::npos);
}

TEST(GopherTest, ThresholdsCanBeChangedOrDisabled) {
  std::vector<QualityRule> rules = DefaultGopherRules();
  ASSERT_THAT(SetRuleThreshold(rules, "min_words", 5), IsOk());
  ASSERT_THAT(SetRuleThreshold(rules, "min_stop_words", -1), IsOk());
  for (const char* top : {"max_top_2gram_chars", "max_top_3gram_chars", "max_top_4gram_chars"}) {
    ASSERT_THAT(SetRuleThreshold(rules, top, -1), IsOk());  // a short text is its top n-gram
  }
  GopherScores s = ScoreGopher("Seven words make a sentence right here.");
  EXPECT_EQ(FirstFailedRule(rules, s), nullptr);
  EXPECT_THAT(SetRuleThreshold(rules, "nope", 1),
              StatusIs(StatusCode::kNotFound, HasSubstr("min_words")));
}

TEST(GopherTest, ScoresAsJson) {
  std::string json;
  ScoreGopher("a b").AppendJson(&json);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.back(), '}');
  EXPECT_NE(json.find("\"words\":2,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"dup_10gram_chars\":0}"), std::string::npos) << json;
}

TEST(GopherTest, NonAsciiWordsAreLetters) {
  GopherScores s = ScoreGopher("Ελληνικά κείμενα και 日本語");
  EXPECT_EQ(s.words, 4u);
  EXPECT_DOUBLE_EQ(s.alpha_words, 1.0);
}

}  // namespace
}  // namespace tunepack::quality
