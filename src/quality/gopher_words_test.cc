// The word splitting of the Gopher rules, checked on the cases spaCy's own English tokenizer
// tests assert (spacy/tests/lang/en/test_prefix_suffix_infix.py and test_exceptions.py),
// written here as data, plus the contractions and technical prose the rules meet.
#include "quality/gopher_words.h"

#include <gtest/gtest.h>

#include <time.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tunepack::quality {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view word : SplitGopherWords(text)) out.emplace_back(word);
  return out;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Splitting is linear in the document: putting back the special cases of a span of two or
// more tokens ("w17," is "w17", ",") once copied every token of the document before it:
// 80,000 such spans (600 KB) took 5.7 s, 18 times as long as 20,000. The spans are all
// different, so no cache hides the cost.
TEST(GopherWordsTest, SplittingIsLinearInTheDocument) {
  auto text_of = [](size_t spans) {
    std::string text;
    for (size_t i = 0; i < spans; ++i) text += "w" + std::to_string(i) + ", ";
    return text;
  };
  // The best of three runs, or of fewer once one takes longer than `enough` seconds (so
  // that a quadratic splitter fails in seconds rather than a minute).
  auto best_seconds = [](const std::string& text, size_t expected_tokens, double enough) {
    double best = 1e9;
    for (int run = 0; run < 3; ++run) {
      const double start = ThreadCpuSeconds();
      const size_t tokens = SplitGopherWords(text).size();
      best = std::min(best, ThreadCpuSeconds() - start);
      EXPECT_EQ(tokens, expected_tokens);
      if (best > enough) break;
    }
    return best;
  };
  const double small = best_seconds(text_of(20000), 40000, 1.0);
  ASSERT_LT(small, 1.0) << "20,000 spans";
  const double bound = 8 * std::max(small, 0.002);
  const double large = best_seconds(text_of(80000), 160000, bound);
  EXPECT_LT(large, bound) << small << " s for 20,000 spans, " << large << " s for 80,000";
}

TEST(GopherWordsTest, TokenCountsFromTheTokenizersTests) {
  struct Case {
    const char* text;
    size_t tokens;
  } cases[] = {
      {"(can)", 3},        {"can't", 2},        {"(can't", 3},      {"can't)", 3},
      {"(can't)", 4},      {"(can't?)", 5},     {"U.S.", 1},        {"us.", 2},
      {"(U.S.", 2},        {"U.S.)", 2},        {"(U.S.)", 3},      {"(U.S.?)", 4},
      {"best-known", 3},   {"0.1-13.5", 3},     {"0.0-0.1", 3},     {"103.27-300", 3},
      {"best.Known", 3},   {"Hello.World", 3},  {"Hello,world", 3}, {"one,two", 3},
      {"best...Known", 3}, {"best...known", 3}, {"_MATH_", 3},      {"_MATH_.", 4},
  };
  for (const Case& c : cases) EXPECT_EQ(SplitGopherWords(c.text).size(), c.tokens) << c.text;
}

TEST(GopherWordsTest, TokensFromTheTokenizersTests) {
  EXPECT_EQ(Words("No decent--let alone well-bred--people."),
            (std::vector<std::string>{"No", "decent", "--", "let", "alone", "well", "-", "bred",
                                      "--", "people", "."}));
  EXPECT_EQ(Words("Today is Tuesday.Mr."),
            (std::vector<std::string>{"Today", "is", "Tuesday", ".", "Mr."}));
  EXPECT_EQ(Words("Hello,world"), (std::vector<std::string>{"Hello", ",", "world"}));
}

TEST(GopherWordsTest, PunctuationIsSplitOffAsWords) {
  EXPECT_EQ(Words("The fileno(), readable() and seek() methods."),
            (std::vector<std::string>{"The", "fileno", "(", ")", ",", "readable", "(", ")", "and",
                                      "seek", "(", ")", "methods", "."}));
  EXPECT_EQ(Words("\"Wait...\" she said; 10km away, 5pm."),
            (std::vector<std::string>{"\"", "Wait", "...", "\"", "she", "said", ";", "10", "km",
                                      "away", ",", "5", "pm", "."}));
}

TEST(GopherWordsTest, ContractionsSplitAsTheEnglishExceptionsSay) {
  EXPECT_EQ(Words("I don't know, it's what they're doing."),
            (std::vector<std::string>{"I", "do", "n't", "know", ",", "it", "'s", "what", "they",
                                      "'re", "doing", "."}));
  EXPECT_EQ(Words("dont cant Im cannot"),
            (std::vector<std::string>{"do", "nt", "ca", "nt", "I", "m", "can", "not"}));
  // Real words that look like contractions stay whole; possessives lose their 's.
  EXPECT_EQ(Words("its well ill John's"),
            (std::vector<std::string>{"its", "well", "ill", "John", "'s"}));
  EXPECT_EQ(Words("don’t"), (std::vector<std::string>{"do", "n’t"}));
}

TEST(GopherWordsTest, UrlsAndAddressesStayWhole) {
  EXPECT_EQ(Words("see https://example.com/a-b/c?d=e-f or mail bob@example.org."),
            (std::vector<std::string>{"see", "https://example.com/a-b/c?d=e-f", "or", "mail",
                                      "bob@example.org", "."}));
}

TEST(GopherWordsTest, WhiteSpaceOfAnyKindSeparates) {
  EXPECT_EQ(Words("  a\tb\n\nc\u00a0d\u3000e  "), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(SplitGopherWords("").empty());
  EXPECT_TRUE(SplitGopherWords(" \n\t ").empty());
}

TEST(GopherWordsTest, NonSymbolWordsHaveACharacterOutsideThePunctuationSet) {
  EXPECT_TRUE(IsNonSymbolWord("word"));
  EXPECT_TRUE(IsNonSymbolWord("n't"));
  EXPECT_TRUE(IsNonSymbolWord("10"));
  EXPECT_FALSE(IsNonSymbolWord("..."));
  EXPECT_FALSE(IsNonSymbolWord("--"));
  EXPECT_FALSE(IsNonSymbolWord("\u2026"));
  EXPECT_FALSE(IsNonSymbolWord("\u3002"));  // ideographic full stop
  EXPECT_TRUE(IsNonSymbolWord("\u2022"));   // the bullet is not in the set
}

}  // namespace
}  // namespace tunepack::quality
