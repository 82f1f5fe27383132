#include "tunepack/dedup/minhash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

namespace tunepack::dedup {
namespace {

TEST(ShinglesTest, CountsWordNgrams) {
  EXPECT_EQ(Shingles("a b c d e f g", 5).size(), 3u);
  EXPECT_EQ(Shingles("a b c", 5).size(), 1u);  // short text: one shingle of all words
  EXPECT_TRUE(Shingles(" ,. ", 5).empty());
  EXPECT_EQ(Shingles("a b c d e a b c d e", 5).size(), 5u);  // distinct only
}

TEST(JaccardTest, SetArithmetic) {
  std::vector<uint64_t> a = {1, 2, 3, 4}, b = {3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard(std::vector<uint64_t>{}, std::vector<uint64_t>{}), 0.0);
}

TEST(LshParamsTest, FormulaMatchesPublishedDatatroveFigures) {
  // datatrove's 14 x 8: threshold about 0.72 and P(0.8) = 0.924 (minhash.py comment).
  LshParams p{14, 8};
  EXPECT_NEAR(p.Threshold(), 0.719, 0.001);
  EXPECT_NEAR(p.CandidateProbability(0.8), 0.924, 0.001);
}

TEST(LshParamsTest, ChosenCurveIsCentredOnThreshold) {
  for (double t : {0.5, 0.7, 0.8, 0.9}) {
    LshParams p = ChooseLshParams(t, 128);
    EXPECT_LE(p.bands * p.rows, 128);
    EXPECT_NEAR(p.Threshold(), t, 0.08) << p.ToString();
    EXPECT_LT(p.CandidateProbability(t - 0.2), 0.1) << p.ToString();
    EXPECT_GT(p.CandidateProbability(std::min(1.0, t + 0.1)), 0.85) << p.ToString();
  }
  // Leaning towards recall moves the curve left.
  EXPECT_LT(ChooseLshParams(0.8, 128, 0.9).Threshold(), ChooseLshParams(0.8, 128).Threshold());
}

TEST(MinHasherTest, AgreementEstimatesJaccard) {
  // Two sets with known Jaccard 1/3: {0..1999} and {1000..2999}.
  std::vector<uint64_t> a, b;
  std::mt19937_64 rng(7);
  std::vector<uint64_t> values(3000);
  for (auto& v : values) v = rng();
  a.assign(values.begin(), values.begin() + 2000);
  b.assign(values.begin() + 1000, values.end());
  MinHasher hasher(1024, 1);
  std::vector<uint32_t> sa, sb;
  hasher.Sign(a.data(), a.size(), &sa);
  hasher.Sign(b.data(), b.size(), &sb);
  int equal = 0;
  for (size_t i = 0; i < sa.size(); ++i) equal += sa[i] == sb[i];
  // Standard deviation sqrt(j(1-j)/k) is 0.015 at k = 1024.
  EXPECT_NEAR(equal / 1024.0, 1.0 / 3.0, 0.05);
}

TEST(MinHasherTest, DeterministicForSeed) {
  std::vector<uint64_t> set = {1, 2, 3};
  std::vector<uint32_t> s1, s2, s3;
  MinHasher(64, 1).Sign(set.data(), set.size(), &s1);
  MinHasher(64, 1).Sign(set.data(), set.size(), &s2);
  MinHasher(64, 2).Sign(set.data(), set.size(), &s3);
  EXPECT_EQ(s1, s2);
  EXPECT_NE(s1, s3);
}

}  // namespace
}  // namespace tunepack::dedup
