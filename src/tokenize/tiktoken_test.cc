#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tokenize/tiktoken_format.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

std::vector<TokenId> Encode(std::string_view name, std::string_view text, bool allow_special = false) {
  auto tokenizer = LoadTokenizer(name);
  EXPECT_THAT(tokenizer, IsOk());
  std::vector<TokenId> ids;
  EncodeOptions options;
  options.allow_special = allow_special;
  EXPECT_THAT((*tokenizer)->Encode(text, options, &ids), IsOk());
  return ids;
}

// Reference ids from the tiktoken npm package 1.0.22 (the parity test checks many more).
TEST(TiktokenTest, EncodesKnownIds) {
  EXPECT_THAT(Encode("cl100k_base", "hello world"), ElementsAre(15339, 1917));
  EXPECT_THAT(Encode("o200k_base", "hello world"), ElementsAre(24912, 2375));
  EXPECT_THAT(Encode("gpt2", "hello world"), ElementsAre(31373, 995));
  EXPECT_THAT(Encode("r50k_base", "hello world"), ElementsAre(31373, 995));
  EXPECT_THAT(Encode("p50k_base", "hello world"), ElementsAre(31373, 995));
}

TEST(TiktokenTest, SpecialTokensAreTextUnlessAllowed) {
  const std::string text = "a<|endoftext|>b";
  const std::vector<TokenId> plain = Encode("cl100k_base", text);
  EXPECT_THAT(plain, ::testing::Not(::testing::Contains(100257u)));
  EXPECT_THAT(Encode("cl100k_base", text, true), ElementsAre(64, 100257, 65));
}

TEST(TiktokenTest, OffsetsSliceBackToTheText) {
  auto tokenizer = LoadTokenizer("o200k_base");
  ASSERT_THAT(tokenizer, IsOk());
  const std::string text = "Grüße, 世界! Zażółć gęślą jaźń 🙂👩‍👩‍👧 1234567 <|endoftext|>";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_EQ(ids.size(), offsets.size());
  std::string joined;
  uint32_t previous_end = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(offsets[i].begin, previous_end);
    auto piece = (*tokenizer)->Decode(std::span<const TokenId>(&ids[i], 1));
    ASSERT_THAT(piece, IsOk());
    EXPECT_EQ(*piece, text.substr(offsets[i].begin, offsets[i].end - offsets[i].begin));
    previous_end = offsets[i].end;
  }
  EXPECT_EQ(previous_end, text.size());
}

TEST(TiktokenTest, DecodeInvertsEncodeAndCountMatches) {
  for (const auto& info : ListBuiltinTokenizers()) {
    auto tokenizer = LoadTokenizer(info.name);
    ASSERT_THAT(tokenizer, IsOk()) << info.name;
    const std::string text = "The quick brown fox — ñandú, Ελληνικά, 日本語\n\n\tcode(x) {}   ";
    std::vector<TokenId> ids;
    ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids), IsOk());
    auto decoded = (*tokenizer)->Decode(ids);
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(*decoded, text) << info.name;
    auto count = (*tokenizer)->Count(text, {});
    ASSERT_THAT(count, IsOk());
    EXPECT_EQ(*count, ids.size());
  }
}

TEST(TiktokenTest, ReportsVocabularySizes) {
  EXPECT_EQ((*LoadTokenizer("cl100k_base"))->vocab_size(), 100277u);
  EXPECT_EQ((*LoadTokenizer("o200k_base"))->vocab_size(), 200019u);
  EXPECT_EQ((*LoadTokenizer("p50k_base"))->vocab_size(), 50281u);
  EXPECT_EQ((*LoadTokenizer("gpt2"))->vocab_size(), 50257u);
}

TEST(TiktokenTest, RepetitiveInputRoundTrips) {
  // tiktoken's test_catastrophically_repetitive; the heap merge keeps this linearithmic.
  for (const char* c : {"a", " ", "\n", "0", "-", "\xE4\xB8\xAD"}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += c;
    std::vector<TokenId> ids;
    ASSERT_THAT((*LoadTokenizer("cl100k_base"))->Encode(text, {}, &ids), IsOk());
    EXPECT_EQ(*(*LoadTokenizer("cl100k_base"))->Decode(ids), text);
  }
}

TEST(TiktokenTest, LoadsATiktokenRankFile) {
  testing::TempDir dir;
  // A rank file in the .tiktoken format, made from the built-in gpt2 vocabulary.
  auto gpt2 = LoadTokenizer("gpt2");
  ASSERT_THAT(gpt2, IsOk());
  std::string ranks;
  for (TokenId id = 0; id < 50256; ++id) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string bytes = *(*gpt2)->Decode(std::span<const TokenId>(&id, 1));
    std::string b64;
    for (size_t i = 0; i < bytes.size(); i += 3) {
      uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
      if (i + 1 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
      if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
      b64 += kAlphabet[(chunk >> 18) & 63];
      b64 += kAlphabet[(chunk >> 12) & 63];
      b64 += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
      b64 += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    }
    ranks += b64 + " " + std::to_string(id) + "\n";
  }
  testing::WriteFile(dir / "r50k_base.tiktoken", ranks);
  testing::WriteFile(dir / "mine.tiktoken", ranks);

  auto by_name = LoadTokenizer((dir / "r50k_base.tiktoken").string());
  ASSERT_THAT(by_name, IsOk());
  std::vector<TokenId> ids;
  ASSERT_THAT((*by_name)->Encode("hello world", {}, &ids), IsOk());
  EXPECT_THAT(ids, ElementsAre(31373, 995));

  EXPECT_THAT(LoadTokenizer((dir / "mine.tiktoken").string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("cl100k_base:")));
  EXPECT_THAT(LoadTokenizer("gpt2:" + (dir / "mine.tiktoken").string()), IsOk());
}

TEST(TiktokenTest, UnknownSpecIsNotFound) {
  EXPECT_THAT(LoadTokenizer("no_such_encoding"),
              StatusIs(StatusCode::kNotFound, HasSubstr("cl100k_base")));
}

TEST(TiktokenFormatTest, ParsesBothRankLineForms) {
  auto tokens = ParseTiktokenRanks("! 0 YQ== Yg==\nYWI= 3\n");
  ASSERT_THAT(tokens, IsOk());
  EXPECT_THAT(*tokens, ElementsAre("a", "b", "", "ab"));
  EXPECT_THAT(ParseTiktokenRanks("YQ== x\n"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 1")));
}

}  // namespace
}  // namespace tunepack::tokenize
