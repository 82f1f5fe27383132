#include "tunepack/dedup/split.h"

#include <gtest/gtest.h>

#include <string>

#include "tunepack/dedup/exact_deduper.h"

namespace tunepack::dedup {
namespace {

TEST(SplitTest, SameTextSameSplitAndFractionHolds) {
  ExactDeduper keys;
  size_t validation = 0;
  const size_t n = 20000;
  for (size_t i = 0; i < n; ++i) {
    std::string text = "record number " + std::to_string(i);
    Split a = AssignSplit(keys.Key(text), 0.1);
    Split b = AssignSplit(keys.Key("record   number " + std::to_string(i)), 0.1);  // same key
    EXPECT_EQ(a, b);
    validation += a == Split::kValidation;
  }
  EXPECT_NEAR(static_cast<double>(validation) / n, 0.1, 0.01);
}

TEST(SplitTest, EdgesAndSeed) {
  Hash128 key = HashBytes("x");
  EXPECT_EQ(AssignSplit(key, 0.0), Split::kTrain);
  EXPECT_EQ(AssignSplit(key, 1.0), Split::kValidation);
  size_t differ = 0;
  for (int i = 0; i < 1000; ++i) {
    Hash128 k = HashBytes(std::to_string(i));
    differ += AssignSplit(k, 0.5, 1) != AssignSplit(k, 0.5, 2);
  }
  EXPECT_GT(differ, 400u);  // a new seed reshuffles about half at 0.5
}

}  // namespace
}  // namespace tunepack::dedup
