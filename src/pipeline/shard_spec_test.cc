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


// One large file among small ones: the boundaries that fall in it cut it into byte ranges
// of about 1/N each, when it may be cut; otherwise it goes whole to one rank, as before.
TEST(ShardSpecTest, BoundariesInsideACuttableFileCutItIntoByteRanges) {
  const std::vector<uint64_t> sizes = {100, 4'000'000, 100};
  std::vector<size_t> asked;
  for (uint32_t count : {1u, 2u, 3u, 4u, 7u}) {
    ShardPoint next;
    for (uint32_t index = 0; index < count; ++index) {
      const ShardSlice slice = ShardSliceOf(sizes, {index, count}, [&](size_t i) {
        asked.push_back(i);
        return i == 1;
      });
      EXPECT_EQ(slice.begin, next) << index << "/" << count;
      if (index > 0) {
        EXPECT_EQ(slice.begin.input, 1u) << index << "/" << count;
        EXPECT_NEAR(static_cast<double>(slice.begin.offset), 4'000'000.0 * index / count, 20000.0);
      }
      next = slice.end;
    }
    EXPECT_EQ(next, (ShardPoint{3, 0})) << count;
  }
  for (size_t i : asked) EXPECT_EQ(i, 1u);  // only the file a boundary falls in
  for (uint32_t index = 0; index < 4; ++index) {
    const ShardSlice whole = ShardSliceOf(sizes, {index, 4}, [](size_t) { return false; });
    const auto [begin, end] = ShardRange(sizes, {index, 4});
    EXPECT_EQ(whole.begin, (ShardPoint{begin, 0}));
    EXPECT_EQ(whole.end, (ShardPoint{end, 0}));
  }
  EXPECT_EQ(ShardSliceOf(sizes, {0, 4}, [](size_t) { return false; }).end, (ShardPoint{2, 0}));
}

}  // namespace
}  // namespace tunepack::pipeline
