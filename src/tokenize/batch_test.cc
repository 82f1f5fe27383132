#include "tunepack/tokenize/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/status_matchers.h"

namespace tunepack::tokenize {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

// Fails every text that contains "bad"; counts one token per byte otherwise.
class PickyTokenizer : public Tokenizer {
 public:
  std::string_view name() const override { return "picky"; }
  Status Encode(std::string_view text, const EncodeOptions&, std::vector<TokenId>* ids,
                std::vector<TokenSpan>*) const override {
    if (text.find("bad") != std::string_view::npos) return InvalidArgumentError("bad text");
    for (char c : text) ids->push_back(static_cast<unsigned char>(c));
    return Status::Ok();
  }
  Result<std::string> Decode(std::span<const TokenId> ids) const override {
    std::string text;
    for (TokenId id : ids) {
      if (id > 255) return InvalidArgumentError("no such id");
      text.push_back(static_cast<char>(id));
    }
    return text;
  }
  size_t vocab_size() const override { return 256; }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override { return {}; }
};

TEST(BatchTest, MatchesOneByOneInInputOrderAtAnyThreadCount) {
  auto tokenizer = LoadTokenizer("cl100k_base");
  ASSERT_THAT(tokenizer, IsOk());
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) texts.push_back("text number " + std::to_string(i) + std::string(i % 7, '!'));
  std::vector<std::vector<TokenId>> expected;
  for (const std::string& text : texts) {
    std::vector<TokenId> ids;
    ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids), IsOk());
    expected.push_back(ids);
  }
  for (int jobs : {1, 3, 0}) {
    BatchOptions options;
    options.jobs = jobs;
    auto ids = EncodeBatch(**tokenizer, std::span<const std::string>(texts), options);
    ASSERT_THAT(ids, IsOk());
    EXPECT_EQ(*ids, expected) << "jobs " << jobs;
    auto counts = CountBatch(**tokenizer, std::span<const std::string>(texts), options);
    ASSERT_THAT(counts, IsOk());
    for (size_t i = 0; i < texts.size(); ++i) EXPECT_EQ((*counts)[i], expected[i].size());
    auto decoded = DecodeBatch(**tokenizer, *ids, jobs);
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(*decoded, texts);
  }
}

TEST(BatchTest, EmptyBatchIsEmpty) {
  PickyTokenizer tokenizer;
  auto ids = EncodeBatch(tokenizer, std::span<const std::string_view>());
  ASSERT_THAT(ids, IsOk());
  EXPECT_TRUE(ids->empty());
}

TEST(BatchTest, ReturnsTheErrorOfTheFirstFailingTextWhateverTheThreads) {
  PickyTokenizer tokenizer;
  std::vector<std::string_view> texts(500, "fine");
  texts[37] = "bad one";
  texts[400] = "bad two";
  for (int jobs : {1, 4}) {
    BatchOptions options;
    options.jobs = jobs;
    EXPECT_THAT(CountBatch(tokenizer, texts, options),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("text 37")));
  }
  std::vector<std::vector<TokenId>> batch = {{104, 105}, {999}};
  EXPECT_THAT(DecodeBatch(tokenizer, batch, 2), StatusIs(StatusCode::kInvalidArgument, HasSubstr("ids 1")));
  std::vector<std::string_view> fine = {"ab", "c"};
  auto ids = EncodeBatch(tokenizer, fine);
  ASSERT_THAT(ids, IsOk());
  EXPECT_THAT(*ids, ElementsAre(ElementsAre(97, 98), ElementsAre(99)));
}

}  // namespace
}  // namespace tunepack::tokenize
