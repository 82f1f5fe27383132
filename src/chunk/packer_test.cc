#include "tunepack/chunk/packer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/status_matchers.h"

namespace tunepack::chunk {
namespace {

using ::tunepack::testing::IsOk;

TEST(PackerTest, FirstFitDecreasingByHand) {
  // Sorted: 7(0) 5(2) 4(3) 3(1) 2(4) 1(5); capacity 10:
  // 7 -> bin0; 5 -> bin1; 4 -> bin1 (9); 3 -> bin0 (10); 2 -> bin2; 1 -> bin1 (10).
  std::vector<size_t> lengths = {7, 3, 5, 4, 2, 1, 11};
  std::vector<uint32_t> overlong;
  std::vector<PackBin> bins = PackFirstFitDecreasing(lengths, 10, &overlong);
  ASSERT_EQ(bins.size(), 3u);
  EXPECT_EQ(bins[0].items, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(bins[1].items, (std::vector<uint32_t>{2, 3, 5}));
  EXPECT_EQ(bins[2].items, (std::vector<uint32_t>{4}));
  EXPECT_EQ(overlong, (std::vector<uint32_t>{6}));
  EXPECT_NEAR(PackingEfficiency(bins, 10), 22.0 / 30.0, 1e-12);
}

TEST(PackerTest, EveryItemOnceWithinCapacityAndEfficient) {
  // Chat-like lengths: log-normal around 300 tokens, into 4096-token sequences.
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(5.5, 0.8);
  std::vector<size_t> lengths;
  for (int i = 0; i < 20000; ++i) lengths.push_back(1 + static_cast<size_t>(dist(rng)));
  std::vector<uint32_t> overlong;
  std::vector<PackBin> bins = PackFirstFitDecreasing(lengths, 4096, &overlong);
  std::vector<int> seen(lengths.size(), 0);
  for (const PackBin& bin : bins) {
    size_t used = 0;
    for (uint32_t item : bin.items) {
      ++seen[item];
      used += lengths[item];
    }
    EXPECT_EQ(used, bin.used);
    EXPECT_LE(used, 4096u);
  }
  for (uint32_t item : overlong) ++seen[item];
  for (int s : seen) EXPECT_EQ(s, 1);
  // The anchors report 98-99.7% for FFD/BFD on real data.
  EXPECT_GT(PackingEfficiency(bins, 4096), 0.98);
  // Deterministic.
  EXPECT_EQ(PackFirstFitDecreasing(lengths, 4096, nullptr).size(), bins.size());
}

TEST(PackerTest, LayOutRestartsPositionsAndMasksLabels) {
  std::vector<TokenizedExample> examples(2);
  examples[0].ids = {10, 11, 12, 13};
  examples[0].trained = {0, 0, 1, 1};  // prompt, prompt, answer, answer
  examples[1].ids = {20, 21, 22};      // all trained (pretraining text)
  PackBin bin{{1, 0}, 7};
  auto seq = LayOutBin(bin, examples);
  ASSERT_THAT(seq, IsOk());
  EXPECT_EQ(seq->input_ids, (std::vector<tokenize::TokenId>{20, 21, 22, 10, 11, 12, 13}));
  EXPECT_EQ(seq->position_ids, (std::vector<uint32_t>{0, 1, 2, 0, 1, 2, 3}));
  EXPECT_EQ(seq->labels, (std::vector<int64_t>{-100, 21, 22, -100, -100, 12, 13}));
  EXPECT_EQ(seq->lengths, (std::vector<uint32_t>{3, 4}));
  examples[0].trained = {1};
  EXPECT_FALSE(LayOutBin(bin, examples).ok());
}

}  // namespace
}  // namespace tunepack::chunk
