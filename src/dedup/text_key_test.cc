#include "tunepack/dedup/text_key.h"

#include <gtest/gtest.h>

namespace tunepack::dedup {
namespace {

std::string Norm(std::string_view text, ExactKeyOptions options) {
  std::string out;
  NormalizeForExact(text, options, &out);
  return out;
}

TEST(NormalizeForExactTest, DefaultsCollapseWhitespaceOnly) {
  EXPECT_EQ(Norm("  Hello,\t\n  World!  ", {}), "Hello, World!");
}

TEST(NormalizeForExactTest, FoldsCaseIncludingNonAscii) {
  EXPECT_EQ(Norm("ÉCOLE Straße", {.fold_case = true}), "école straße");
}

TEST(NormalizeForExactTest, StripsAsciiAndUnicodePunctuation) {
  EXPECT_EQ(Norm("“Hello”, world — ok!", {.strip_punctuation = true}), "Hello world ok");
}

TEST(NormalizeForExactTest, KeepsWhitespaceWhenAsked) {
  EXPECT_EQ(Norm("a  b\n", {.collapse_whitespace = false}), "a  b\n");
}

TEST(ExactKeyTest, EqualAfterNormalisationMeansEqualKey) {
  ExactKeyOptions options{.fold_case = true, .strip_punctuation = true};
  EXPECT_EQ(ExactKey("Hello, World", options), ExactKey("hello world!", options));
  EXPECT_NE(ExactKey("Hello, World", {}), ExactKey("hello world!", {}));
}

TEST(HashWordsTest, LowercasesDropsPunctuationSplitsOnSpace) {
  std::vector<uint64_t> a, b;
  HashWords("Don't STOP-me now.", &a);
  HashWords("dont stopme   now", &b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 3u);
}

TEST(HashWordsTest, NonAsciiWordsCount) {
  std::vector<uint64_t> words;
  HashWords("日本語 Ελληνικά — текст", &words);
  EXPECT_EQ(words.size(), 3u);
}

TEST(DedupTextTest, ConversationIncludesRoles) {
  Example a;
  a.kind = ExampleKind::kConversation;
  a.messages.resize(2);
  a.messages[0].role = Role::kUser;
  a.messages[0].content = "hi";
  a.messages[1].role = Role::kAssistant;
  a.messages[1].content = "yo";
  Example b = a;
  std::swap(b.messages[0].role, b.messages[1].role);
  EXPECT_EQ(DedupText(a), "user: hi\nassistant: yo\n");
  EXPECT_NE(DedupText(a), DedupText(b));
}

}  // namespace
}  // namespace tunepack::dedup
