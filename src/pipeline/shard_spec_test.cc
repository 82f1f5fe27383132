#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {
namespace {

TEST(ShardSpecTest, ParsesRankOfCount) {
  Result<ShardSpec> spec = ParseShardSpec("3/8");
  ASSERT_TRUE(spec.has_value());
  EXPECT_EQ(spec->index, 3u);
  EXPECT_EQ(spec->count, 8u);
  EXPECT_EQ(spec->ToString(), "3/8");
  EXPECT_FALSE(ParseShardSpec("")->enabled());
  for (const char* bad : {"8/8", "1", "/2", "1/", "x/2", "0/0", "1/2/3", " 1/2", "-1/2"}) {
    EXPECT_FALSE(ParseShardSpec(bad).has_value()) << bad;
  }
}

// Every input goes to exactly one rank, the slices follow each other in rank order, and the
// bytes are spread evenly when the files allow it.
TEST(ShardSpecTest, RangesAreContiguousCoveringAndBalanced) {
  std::vector<uint64_t> sizes;
  for (int i = 0; i < 1000; ++i) sizes.push_back(1000 + (i * 7919) % 50000);
  uint64_t total = 0;
  for (uint64_t size : sizes) total += size;
  for (uint32_t count : {1u, 2u, 3u, 7u, 64u}) {
    size_t next = 0;
    for (uint32_t index = 0; index < count; ++index) {
      const auto [begin, end] = ShardRange(sizes, {index, count});
      EXPECT_EQ(begin, next) << index << "/" << count;
      ASSERT_LE(begin, end);
      uint64_t bytes = 0;
      for (size_t i = begin; i < end; ++i) bytes += sizes[i];
      EXPECT_NEAR(static_cast<double>(bytes), static_cast<double>(total) / count, 60000.0)
          << index << "/" << count;
      next = end;
    }
    EXPECT_EQ(next, sizes.size()) << count;
  }
}

TEST(ShardSpecTest, EmptyFilesSpreadAndMoreRanksThanFilesLeaveSomeEmpty) {
  const std::vector<uint64_t> empty(8, 0);
  EXPECT_EQ(ShardRange(empty, {0, 4}), std::make_pair(size_t{0}, size_t{2}));
  EXPECT_EQ(ShardRange(empty, {3, 4}), std::make_pair(size_t{6}, size_t{8}));
  const std::vector<uint64_t> two = {10, 10};
  size_t covered = 0;
  for (uint32_t index = 0; index < 5; ++index) {
    const auto [begin, end] = ShardRange(two, {index, 5});
    EXPECT_EQ(begin, covered);
    covered = end;
  }
  EXPECT_EQ(covered, 2u);
  EXPECT_EQ(ShardRange({}, {0, 3}), std::make_pair(size_t{0}, size_t{0}));
}

}  // namespace
}  // namespace tunepack::pipeline
