#include "tokenize/hf/unigram_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "tokenize/hf/hf_tokenizer.h"
#include "tp_test_paths.h"

namespace tunepack::tokenize::hf {
namespace {

using testing::IsOk;

std::string TiesData(std::string_view name) {
  return std::string(TP_SOURCE_DIR) + "/tests/data/tokenize/hf_unigram_ties/" + std::string(name);
}

// tests/data/tokenize/hf_unigram_ties holds a Unigram vocab where "-" + "--" and "--" + "-"
// (and "=" + "==" against "==" + "=") total the same score up to the last ulp, so which one
// wins depends on how each score is read from its JSON text and on the order the sums are
// made. cases.ids are Hugging Face tokenizers' ids for cases.jsonl, written once with
//   node tests/parity/tokenize/hf_reference.js tokenizer.json cases.jsonl cases.ids no
TEST(HfUnigramTest, TiesResolveAsHuggingFaceDoes) {
  auto tokenizer = HfTokenizer::Load("ties", TiesData("tokenizer.json"));
  ASSERT_THAT(tokenizer, IsOk());
  std::ifstream cases(TiesData("cases.jsonl"));
  std::ifstream expected_ids(TiesData("cases.ids"));
  ASSERT_TRUE(cases && expected_ids);
  std::string case_line, ids_line;
  int count = 0;
  while (std::getline(cases, case_line)) {
    ASSERT_TRUE(std::getline(expected_ids, ids_line)) << "cases.ids is shorter than cases.jsonl";
    const std::string text = nlohmann::json::parse(case_line).at("text").get<std::string>();
    const std::vector<TokenId> expected = nlohmann::json::parse(ids_line).get<std::vector<TokenId>>();
    std::vector<TokenId> ids;
    ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids), IsOk());
    EXPECT_EQ(ids, expected) << "text: " << text;
    ++count;
  }
  EXPECT_EQ(count, 5);
}

TEST(HfUnigramTest, AScoreThatIsNoNumberFailsToLoad) {
  const simdjson::padded_string json(std::string(
      R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", "-1"]]}})"));
  EXPECT_THAT(HfTokenizer::FromJson("bad", json),
              testing::StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("entry 1")));
}

}  // namespace
}  // namespace tunepack::tokenize::hf
