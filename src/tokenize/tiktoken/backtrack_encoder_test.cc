#include "tokenize/tiktoken/backtrack_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "tokenize/tiktoken/tiktoken_format.h"
#include "tp_test_paths.h"

namespace tunepack::tokenize {
namespace {

using testing::IsOk;
using testing::StatusIs;

// An encoding's ranks as the npm package ships them, and their splits.
struct Encoding {
  RankTable ranks;
  std::vector<TokenSplit> splits;
};

const Encoding& LoadEncoding(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Encoding>> loaded;
  auto& entry = loaded[name];
  if (entry == nullptr) {
    std::ifstream in(std::string(TP_SOURCE_DIR) + "/data/tokenizers/cache/tiktoken-1.0.22/package/encoders/" + name + ".json");
    std::ostringstream text;
    text << in.rdbuf();
    auto file = ParseTiktokenJson(name, text.str());
    EXPECT_THAT(file, IsOk());
    auto ranks = RankTable::Build(std::move(file->tokens));
    EXPECT_THAT(ranks, IsOk());
    std::vector<TokenSplit> splits = ComputeTokenSplits(*ranks);
    entry.reset(new Encoding{std::move(*ranks), std::move(splits)});
  }
  return *entry;
}

std::vector<Part> Merged(const RankTable& ranks, std::string_view piece) {
  std::vector<Part> parts;
  BytePairMerge(ranks, piece, &parts);
  return parts;
}

std::vector<Part> Backtracked(const BacktrackEncoder& encoder, std::string_view piece) {
  std::vector<Part> parts{{7, 7}};  // the encoder appends after what is there
  encoder.Encode(piece, &parts);
  parts.erase(parts.begin());
  return parts;
}

MATCHER_P(SameParts, expected, "") {
  if (arg.size() != expected.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    if (arg[i].rank != expected[i].rank || arg[i].end != expected[i].end) return false;
  }
  return true;
}

// Pieces of the kinds that stress BPE: runs of one character, digits, words made of many
// tokens, every byte value, and pieces cut out of tokens.
std::vector<std::string> StressPieces(const RankTable& ranks, uint32_t seed) {
  std::mt19937 random(seed);
  std::vector<std::string> pieces;
  const auto token = [&] {
    for (;;) {
      const std::string_view bytes = ranks.Token(random() % ranks.size());
      if (!bytes.empty()) return std::string(bytes);
    }
  };
  for (const std::string unit : {"a", " ", "0", "9", "\n", "ab", "=", "-", "\xE4\xB8\x80", "\xF0\x9F\x98\x80", "\xFF"}) {
    for (size_t count = 1; count <= 300; count += count < 40 ? 1 : 37) {
      std::string piece;
      for (size_t i = 0; i < count; ++i) piece += unit;
      pieces.push_back(piece);
    }
  }
  for (int round = 0; round < 3000; ++round) {
    std::string digits(1 + random() % 40, '0');
    for (char& c : digits) c = static_cast<char>('0' + random() % 10);
    pieces.push_back(digits);
    std::string bytes(1 + random() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    pieces.push_back(bytes);
    std::string few(1 + random() % 60, 'a');
    for (char& c : few) c = " aab\n1"[random() % 6];
    pieces.push_back(few);
    std::string word;
    for (size_t parts = 2 + random() % (round % 10 == 0 ? 40 : 5); parts > 0; --parts) word += token();
    pieces.push_back(word);
    const std::string whole = token() + token();
    const size_t begin = random() % whole.size();
    pieces.push_back(whole.substr(begin, 1 + random() % (whole.size() - begin)));
  }
  return pieces;
}

class BacktrackEncoderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BacktrackEncoderTest, EveryTokenAsTheMergeLoopEncodesIt) {
  const Encoding& encoding = LoadEncoding(GetParam());
  ASSERT_FALSE(encoding.splits.empty());
  auto encoder = BacktrackEncoder::Build(encoding.ranks, encoding.splits);
  ASSERT_THAT(encoder, IsOk());
  for (uint32_t rank = 0; rank < encoding.ranks.size(); ++rank) {
    const std::string_view token = encoding.ranks.Token(rank);
    if (token.empty()) continue;
    ASSERT_THAT(Backtracked(*encoder, token), SameParts(Merged(encoding.ranks, token))) << "rank " << rank;
  }
}

TEST_P(BacktrackEncoderTest, StressPiecesAsTheMergeLoopEncodesThem) {
  const Encoding& encoding = LoadEncoding(GetParam());
  auto encoder = BacktrackEncoder::Build(encoding.ranks, encoding.splits);
  ASSERT_THAT(encoder, IsOk());
  for (const std::string& piece : StressPieces(encoding.ranks, 15)) {
    ASSERT_THAT(Backtracked(*encoder, piece), SameParts(Merged(encoding.ranks, piece))) << piece;
  }
}

// Runs whose search exceeds the encoder's budget (runs of '-' under o200k_base need over
// 100 steps a byte) are merged instead: still the merge loop's tokens, in linear time.
TEST_P(BacktrackEncoderTest, LongRunsAsTheMergeLoopEncodesThem) {
  const Encoding& encoding = LoadEncoding(GetParam());
  auto encoder = BacktrackEncoder::Build(encoding.ranks, encoding.splits);
  ASSERT_THAT(encoder, IsOk());
  for (const std::string unit : {"-", "=", "/", "*", "a", " ", "\n", "--=", "\xE4\xB8\x80"}) {
    std::string piece;
    while (piece.size() < 20000) piece += unit;
    ASSERT_THAT(Backtracked(*encoder, piece), SameParts(Merged(encoding.ranks, piece))) << unit;
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, BacktrackEncoderTest, ::testing::Values("cl100k_base", "o200k_base"));

// A vocabulary with a token BPE never makes ("abcd": after "bc" nothing merges) and
// competing merges; every string of up to 8 of its letters.
TEST(BacktrackEncoderToyTest, EveryShortStringAsTheMergeLoopEncodesIt) {
  std::vector<std::string> tokens;
  for (int byte = 0; byte < 256; ++byte) tokens.emplace_back(1, static_cast<char>(byte));
  for (const char* merge : {"bc", "ab", "abcd", "cd", "da", "cda", "bcda", "aa", "aaa", "dd", "ddd", "aaaa"}) {
    tokens.emplace_back(merge);
  }
  auto ranks = RankTable::Build(std::move(tokens));
  ASSERT_THAT(ranks, IsOk());
  const std::vector<TokenSplit> splits = ComputeTokenSplits(*ranks);
  ASSERT_EQ(splits.size(), ranks->size());
  EXPECT_EQ(splits[258].left, RankTable::kNoRank);  // "abcd"
  auto encoder = BacktrackEncoder::Build(*ranks, splits);
  ASSERT_THAT(encoder, IsOk());
  for (size_t length = 1; length <= 8; ++length) {
    for (uint32_t code = 0; code < (1u << (2 * length)); ++code) {
      std::string piece(length, 'a');
      for (size_t i = 0; i < length; ++i) piece[i] = "abcd"[(code >> (2 * i)) & 3];
      ASSERT_THAT(Backtracked(*encoder, piece), SameParts(Merged(*ranks, piece))) << piece;
    }
  }
}

TEST(BacktrackEncoderBuildTest, RefusesSplitsThatDoNotFitTheRanks) {
  const Encoding& encoding = LoadEncoding("cl100k_base");
  std::vector<TokenSplit> splits = encoding.splits;
  splits.pop_back();
  EXPECT_THAT(BacktrackEncoder::Build(encoding.ranks, splits), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
  splits = encoding.splits;
  // " the" (rank 279) made of two single bytes: the lengths do not add up.
  splits[279] = {220, 83};
  EXPECT_THAT(BacktrackEncoder::Build(encoding.ranks, splits), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
  splits = encoding.splits;
  splits[279] = {279, 279};
  EXPECT_THAT(BacktrackEncoder::Build(encoding.ranks, splits), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
}

TEST(ComputeTokenSplitsTest, SplitsAreTheLastMergeOfEachToken) {
  const Encoding& encoding = LoadEncoding("cl100k_base");
  const RankTable& ranks = encoding.ranks;
  for (uint32_t rank = 0; rank < ranks.size(); rank += 97) {
    const TokenSplit split = encoding.splits[rank];
    if (split.left == RankTable::kNoRank) {
      EXPECT_NE(Merged(ranks, ranks.Token(rank)).size(), 1u);
    } else if (ranks.Token(rank).size() > 1) {
      EXPECT_EQ(std::string(ranks.Token(split.left)) + std::string(ranks.Token(split.right)), ranks.Token(rank));
      EXPECT_LT(split.left, rank);
      EXPECT_LT(split.right, rank);
    }
  }
  EXPECT_EQ(ranks.Token(279), " the");
  EXPECT_EQ(ranks.Token(encoding.splits[279].left), " th");
  EXPECT_EQ(ranks.Token(encoding.splits[279].right), "e");
}

}  // namespace
}  // namespace tunepack::tokenize
