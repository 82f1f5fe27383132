#include "tokenize/tiktoken/byte_pair.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tunepack::tokenize {
namespace {

// A toy vocabulary: all bytes, then merges in rank order.
RankTable ToyRanks() {
  std::vector<std::string> tokens;
  for (int byte = 0; byte < 256; ++byte) tokens.emplace_back(1, static_cast<char>(byte));
  for (const char* merge : {"ab", "bc", "aa", "aaaa", "abc", "ca", "cab", "bb", "bbbb", "aaa"}) {
    tokens.emplace_back(merge);
  }
  auto table = RankTable::Build(std::move(tokens));
  EXPECT_TRUE(table.ok());
  return std::move(*table);
}

std::vector<std::string> Tokens(const RankTable& ranks, std::string_view piece, bool heap) {
  std::vector<Part> parts;
  if (heap) {
    BytePairMergeHeap(ranks, piece, &parts);
  } else {
    BytePairMergeQuadratic(ranks, piece, &parts);
  }
  std::vector<std::string> out;
  uint32_t begin = 0;
  for (const Part& part : parts) {
    EXPECT_EQ(ranks.Token(part.rank), piece.substr(begin, part.end - begin));
    out.emplace_back(piece.substr(begin, part.end - begin));
    begin = part.end;
  }
  EXPECT_EQ(begin, piece.size());
  return out;
}

TEST(BytePairMergeTest, MergesLowestRankFirstLeftmostOnTies) {
  const RankTable ranks = ToyRanks();
  // "abc": ab (256) beats bc (257), then abc (260).
  EXPECT_EQ(Tokens(ranks, "abc", false), (std::vector<std::string>{"abc"}));
  // "aaaaa": aa at 0 (leftmost), aa at 2, then aaaa; the last a stays.
  EXPECT_EQ(Tokens(ranks, "aaaaa", false), (std::vector<std::string>{"aaaa", "a"}));
  EXPECT_EQ(Tokens(ranks, "aaaaa", true), (std::vector<std::string>{"aaaa", "a"}));
}

TEST(BytePairMergeTest, HeapAgreesWithQuadraticScan) {
  const RankTable ranks = ToyRanks();
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::string piece(1 + random() % 60, 'a');
    for (char& c : piece) c = "abcx"[random() % 4];
    ASSERT_EQ(Tokens(ranks, piece, true), Tokens(ranks, piece, false)) << piece;
  }
}

}  // namespace
}  // namespace tunepack::tokenize
