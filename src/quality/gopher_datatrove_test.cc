// Golden decisions: the cases datatrove's own tests give its GopherRepetitionFilter and
// GopherQualityFilter (tests/pipeline/filters/test_filters.py), as data: the input, the
// parameters the test sets, and the rule that must reject it (or none). Each filter is checked
// alone, as those tests do, so the first failing rule of that filter is the one named.
#include "tunepack/quality/gopher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tunepack::quality {
namespace {

const std::string kTextLf1 =
    "I wish it need not have happened in my time,' said Frodo. 'So do I,' said Gandalf, 'and so "
    "do all who live to see such times. But that is not for them to decide. All we have to decide "
    "is what to do with the time that is given us.'";

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

bool IsRepetitionRule(const std::string& name) {
  return name.starts_with("max_dup_") || name.starts_with("max_top_");
}

// The first rule of one filter (repetition or quality) that `text` fails, or "" when it passes.
std::string FirstFailure(const std::string& text, bool repetition,
                         const std::vector<std::pair<std::string, double>>& thresholds = {}) {
  std::vector<QualityRule> rules = DefaultGopherRules();
  for (QualityRule& rule : rules) {
    if (IsRepetitionRule(rule.name) != repetition) rule.enabled = false;
  }
  for (const auto& [name, value] : thresholds) EXPECT_TRUE(SetRuleThreshold(rules, name, value).ok());
  const QualityRule* failed = FirstFailedRule(rules, ScoreGopher(text));
  return failed ? failed->name : "";
}

TEST(GopherDatatroveTest, RepetitionFilterCases) {
  struct Case {
    std::string text;
    const char* datatrove_reason;
    const char* rule;
  } cases[] = {
      {Repeat("I am your father.\n", 4), "dup_line_frac", "max_dup_lines"},
      {Repeat("I am your father.\n\n", 4), "dup_para_frac", "max_dup_paragraphs"},
      {"I am groot.\n\nYou are a wizard.\n\nI am your father.\n\n" +
           Repeat(std::string(30, 'x') + ".\n\n", 2),
       "dup_para_char_frac", "max_dup_paragraph_chars"},
      {"I am groot.\nYou are a wizard.\nI am your father.\n" + Repeat(std::string(40, 'x') + ".\n", 2),
       "dup_line_char_frac", "max_dup_line_chars"},
      {"I am Frank, I am Frank, I am Frank", "top_2_gram", "max_top_2gram_chars"},
      {"I am Frank, you are Jhon. I am Frank. I am Frank you are Jhon", "top_3_gram",
       "max_top_3gram_chars"},
      {Repeat("I am a solo traveller ", 4) + kTextLf1, "duplicated_5_n_grams",
       "max_dup_5gram_chars"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FirstFailure(c.text, /*repetition=*/true), c.rule)
        << "datatrove rejects this with " << c.datatrove_reason << ": " << c.text;
  }
}

TEST(GopherDatatroveTest, QualityFilterCases) {
  // datatrove's test sets min_doc_words=10, max_doc_words=1000.
  const std::vector<std::pair<std::string, double>> limits = {{"min_words", 10}, {"max_words", 1000}};
  struct Case {
    std::string text;
    const char* datatrove_reason;
    const char* rule;
  } cases[] = {
      {"I am too small...", "gopher_short_doc", "min_words"},
      {Repeat("I am ", 20), "gopher_below_avg_threshold", "min_mean_word_length"},
      {Repeat("interconnection ", 20), "gopher_above_avg_threshold", "max_mean_word_length"},
      {Repeat("# comment ", 20), "gopher_too_many_hashes", "max_hash_to_word"},
      {Repeat("... comment ", 20), "gopher_too_many_ellipsis", "max_ellipsis_to_word"},
      {Repeat("the ./!*?<><> apple <?////> orange  ++ interconnection !<>??? have", 20),
       "gopher_below_alpha_threshold", "min_alpha_words"},
      {kTextLf1, "(kept)", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FirstFailure(c.text, /*repetition=*/false, limits), c.rule)
        << "datatrove: " << c.datatrove_reason << ": " << c.text;
  }
}

// The arithmetic the issue found different, each on a case worked out by hand from
// datatrove's source.
TEST(GopherDatatroveTest, StopWordsAreDistinctLowerCaseWords) {
  // "the" six times is one stop word; "The" and "THE" are not "the".
  EXPECT_EQ(ScoreGopher("the the the the the the The THE cat").stop_words, 1u);
  EXPECT_EQ(ScoreGopher("the cat and the dog, to be with").stop_words, 5u);
}

TEST(GopherDatatroveTest, TopNgramSeenOnceStillScores) {
  // Four words, each 2-gram once: the first one, "ab cd" (5 characters), of 11.
  const GopherScores s = ScoreGopher("ab cd ef gh");
  EXPECT_NEAR(s.top_ngram_chars[0], 5.0 / 11.0, 1e-12);
  EXPECT_NEAR(s.top_ngram_chars[2], 11.0 / 11.0, 1e-12);
}

TEST(GopherDatatroveTest, DuplicateNgramsAreJoinedWithoutSpaces) {
  // Words a b c d e, then the same five again: the second 5-gram occurrence is repeated;
  // its characters are the letters alone (5), not with the spaces (9). Text: 19 characters.
  const GopherScores s = ScoreGopher("a b c d e a b c d e");
  EXPECT_NEAR(s.dup_ngram_chars[0], 5.0 / 19.0, 1e-12);
  // "ab c d e f" and "a bc d e f" are the same 5-gram once the spaces are gone.
  const GopherScores joined = ScoreGopher("ab c d e f a bc d e f");
  EXPECT_NEAR(joined.dup_ngram_chars[0], 6.0 / 21.0, 1e-12);
}

TEST(GopherDatatroveTest, PunctuationTokensCountInTheAlphaRatio) {
  // 14 tokens, 8 of them punctuation: 6 / 14 have a letter (white-space words gave 6 / 6).
  const GopherScores s = ScoreGopher("The fileno(), readable() and seek() methods.");
  EXPECT_NEAR(s.alpha_words, 6.0 / 14.0, 1e-12);
  EXPECT_EQ(s.words, 6u);
}

TEST(GopherDatatroveTest, LinesIncludeBlankOnesAndSplitLinesBreaks) {
  // splitlines: "- a", "", "- b", "c" -> 2 bullets of 4 lines.
  EXPECT_NEAR(ScoreGopher("- a\n\n- b\r\nc\n").bullet_lines, 0.5, 1e-12);
  // re.split("\n+"): a leading and a trailing newline give two empty lines, one repeated.
  const GopherScores s = ScoreGopher("\nx\n");
  EXPECT_NEAR(s.dup_lines, 1.0 / 3.0, 1e-12);
}

}  // namespace
}  // namespace tunepack::quality
