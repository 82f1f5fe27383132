#include "tunepack/pipeline/pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::pipeline {
namespace {

using ::testing::HasSubstr;
using tunepack::testing::JsonLines;
using tunepack::testing::StatusIs;
using tunepack::testing::TempDir;
using tunepack::testing::WriteFile;

std::vector<tokenize::TokenId> Encode(const tokenize::Tokenizer& tokenizer, const std::string& text) {
  std::vector<tokenize::TokenId> ids;
  EXPECT_TRUE(tokenizer.Encode(text, {}, &ids).ok());
  return ids;
}

TEST(PackTest, TextRecordsArePackedWithRestartingPositionsAndMaskedFirstTokens) {
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_TRUE(tokenizer.ok());
  const std::vector<std::string> texts = {
      "The queue holds tasks until a worker claims them.",
      "Retries back off exponentially, up to five attempts.",
      "A dead-lettered task keeps its payload and its last error message for the operator.",
      [] {
        std::string long_text;
        for (int i = 0; i < 40; ++i) long_text += "alpha beta gamma ";
        return long_text + "is far too long for one sequence of sixty-four tokens";
      }(),
      "Short."};
  TempDir tmp;
  std::string jsonl;
  for (const std::string& text : texts) jsonl += nlohmann::json({{"text", text}}).dump() + "\n";
  WriteFile(tmp / "data.jsonl", jsonl);

  PackOptions options;
  options.tokenizer = *tokenizer;
  options.seq_len = 64;
  auto summary = PackJsonlFiles({(tmp / "data.jsonl").string()}, options, (tmp / "packed.jsonl").string());
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  EXPECT_EQ(summary->examples, 5u);
  EXPECT_EQ(summary->overlong, 1u);
  EXPECT_EQ(summary->packed, 4u);
  ASSERT_EQ(summary->overlong_examples.size(), 1u);
  EXPECT_THAT(summary->overlong_examples[0], HasSubstr("data.jsonl:4 ("));

  // Every packed example appears exactly once, as its own ids, in a sequence of <= 64 tokens.
  std::multiset<std::vector<tokenize::TokenId>> expected;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i != 3) expected.insert(Encode(**tokenizer, texts[i]));
  }
  std::multiset<std::vector<tokenize::TokenId>> seen;
  uint64_t tokens = 0;
  const auto rows = JsonLines(tmp / "packed.jsonl");
  EXPECT_EQ(rows.size(), summary->sequences);
  for (const auto& row : rows) {
    const auto ids = row.at("input_ids").get<std::vector<tokenize::TokenId>>();
    const auto positions = row.at("position_ids").get<std::vector<uint32_t>>();
    const auto labels = row.at("labels").get<std::vector<int64_t>>();
    const auto lengths = row.at("lengths").get<std::vector<uint32_t>>();
    ASSERT_LE(ids.size(), 64u);
    ASSERT_EQ(positions.size(), ids.size());
    ASSERT_EQ(labels.size(), ids.size());
    tokens += ids.size();
    size_t start = 0;
    for (uint32_t length : lengths) {
      seen.insert(std::vector<tokenize::TokenId>(ids.begin() + start, ids.begin() + start + length));
      for (uint32_t k = 0; k < length; ++k) {
        EXPECT_EQ(positions[start + k], k);
        EXPECT_EQ(labels[start + k], k == 0 ? -100 : static_cast<int64_t>(ids[start + k]));
      }
      start += length;
    }
    EXPECT_EQ(start, ids.size());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(tokens, summary->tokens);
  EXPECT_DOUBLE_EQ(summary->efficiency, static_cast<double>(tokens) / (64.0 * rows.size()));
}

TEST(PackTest, AssistantMasksDecideWhichTokensAreLabels) {
  TempDir tmp;
  WriteFile(tmp / "ids.jsonl",
            "{\"input_ids\":[5,6,7,8],\"assistant_masks\":[0,0,1,1]}\n"
            "{\"input_ids\":[9,10,11]}\n");
  PackOptions options;
  options.seq_len = 16;  // no tokenizer needed: the records carry their ids
  auto summary = PackJsonlFiles({(tmp / "ids.jsonl").string()}, options, (tmp / "out.jsonl").string());
  ASSERT_TRUE(summary.ok()) << summary.error().message();
  const auto rows = JsonLines(tmp / "out.jsonl");
  ASSERT_EQ(rows.size(), 1u);
  // Longest first: the four-token example, then the three-token one.
  EXPECT_EQ(rows[0].at("input_ids"), nlohmann::json::parse("[5,6,7,8,9,10,11]"));
  EXPECT_EQ(rows[0].at("labels"), nlohmann::json::parse("[-100,-100,7,8,-100,10,11]"));
  EXPECT_EQ(rows[0].at("position_ids"), nlohmann::json::parse("[0,1,2,3,0,1,2]"));
  EXPECT_EQ(rows[0].at("lengths"), nlohmann::json::parse("[4,3]"));
}

TEST(PackTest, RecordsWithoutIdsOrTextAreRefusedWithFileAndLine) {
  TempDir tmp;
  WriteFile(tmp / "chat.jsonl",
            "{\"input_ids\":[1,2]}\n"
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n");
  PackOptions options;
  options.seq_len = 8;
  auto summary = PackJsonlFiles({(tmp / "chat.jsonl").string()}, options, (tmp / "out.jsonl").string());
  EXPECT_THAT(summary.error(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("chat.jsonl:2: ")));
  EXPECT_THAT(summary.error().message(), HasSubstr("‹format› chat-template"));

  WriteFile(tmp / "bad_mask.jsonl", "{\"input_ids\":[1,2],\"assistant_masks\":[1]}\n");
  auto mask = PackJsonlFiles({(tmp / "bad_mask.jsonl").string()}, options, (tmp / "out.jsonl").string());
  EXPECT_THAT(mask.error(), StatusIs(StatusCode::kInvalidArgument, HasSubstr("bad_mask.jsonl:1: ")));
  EXPECT_FALSE(std::filesystem::exists(tmp / "out.jsonl"));
}

}  // namespace
}  // namespace tunepack::pipeline
