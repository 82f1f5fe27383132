#include "tunepack/report/length_histogram.h"

#include <gtest/gtest.h>

namespace tunepack::report {
namespace {

TEST(LengthHistogramTest, EmptyReportsZeros) {
  LengthHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_TRUE(h.Bins(10).empty());
}

TEST(LengthHistogramTest, NearestRankPercentiles) {
  LengthHistogram h;
  for (uint64_t v = 1; v <= 10; ++v) h.Add(v * 10);  // 10, 20, ..., 100
  EXPECT_EQ(h.Percentile(0.5), 50u);
  EXPECT_EQ(h.Percentile(0.9), 90u);   // rank 9 exactly, not 10 through rounding error
  EXPECT_EQ(h.Percentile(0.95), 100u);
  EXPECT_EQ(h.Percentile(0.99), 100u);
  EXPECT_EQ(h.Percentile(0.01), 10u);
  EXPECT_EQ(h.min(), 10u);
  EXPECT_EQ(h.max(), 100u);
  EXPECT_DOUBLE_EQ(h.mean(), 55.0);
  EXPECT_EQ(h.sum(), 550u);
}

TEST(LengthHistogramTest, RepeatedValuesCountWithTheirMultiplicity) {
  LengthHistogram h;
  for (int i = 0; i < 98; ++i) h.Add(5);
  h.Add(1000);
  h.Add(2000);
  EXPECT_EQ(h.Percentile(0.98), 5u);
  EXPECT_EQ(h.Percentile(0.99), 1000u);
  EXPECT_EQ(h.Percentile(1.0), 2000u);
}

TEST(LengthHistogramTest, BinsCoverTheRangeAndHoldEveryValue) {
  LengthHistogram h;
  for (uint64_t v : {3u, 4u, 10u, 10u, 25u, 41u}) h.Add(v);
  const auto bins = h.Bins(4);  // span 3..41 is 39 values: width 10
  ASSERT_EQ(bins.size(), 4u);
  EXPECT_EQ(bins[0].from, 3u);
  EXPECT_EQ(bins[0].to, 12u);
  EXPECT_EQ(bins[0].count, 4u);
  EXPECT_EQ(bins[1].count, 0u);
  EXPECT_EQ(bins[2].count, 1u);  // 23..32 holds 25
  EXPECT_EQ(bins[3].from, 33u);
  EXPECT_EQ(bins[3].to, 41u);  // ends at the maximum, not at 42
  EXPECT_EQ(bins[3].count, 1u);
  uint64_t total = 0;
  for (const auto& bin : bins) total += bin.count;
  EXPECT_EQ(total, h.count());
}

TEST(LengthHistogramTest, ExcessAboveALimitIsWhatTruncationCuts) {
  LengthHistogram h;
  for (uint64_t v : {100u, 200u, 300u}) h.Add(v);
  EXPECT_EQ(h.CountAbove(150), 2u);
  EXPECT_EQ(h.ExcessAbove(150), 50u + 150u);
  EXPECT_EQ(h.CountAbove(300), 0u);
}

}  // namespace
}  // namespace tunepack::report
