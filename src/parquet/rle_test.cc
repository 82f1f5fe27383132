#include "parquet/rle.h"

#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack::parquet::internal {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

std::vector<uint32_t> RoundTrip(const std::vector<uint32_t>& values, int width) {
  std::string encoded;
  EncodeRleHybrid(values, width, encoded);
  std::vector<uint32_t> decoded;
  EXPECT_THAT(DecodeRleHybrid(encoded, width, values.size(), decoded), IsOk());
  return decoded;
}

TEST(RleTest, RoundTripsRunsLiteralsAndMixtures) {
  std::vector<uint32_t> mixed;
  for (int i = 0; i < 1000; ++i) mixed.push_back(i % 7 == 0 ? 3 : (i / 50) % 2);
  for (int width : {2, 3, 8}) {
    EXPECT_EQ(RoundTrip(mixed, width), mixed) << width;
  }
  const std::vector<uint32_t> runs(100, 1);
  EXPECT_EQ(RoundTrip(runs, 1), runs);
  const std::vector<uint32_t> odd = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
  EXPECT_EQ(RoundTrip(odd, 1), odd);
  std::vector<uint32_t> wide;
  for (uint32_t i = 0; i < 300; ++i) wide.push_back(i * 7919 % 100000);
  EXPECT_EQ(RoundTrip(wide, BitWidth(100000)), wide);
}

TEST(RleTest, ShortDataIsAnError) {
  std::string encoded;
  EncodeRleHybrid({1, 2, 3, 1, 2, 3, 1, 2, 3}, 2, encoded);
  std::vector<uint32_t> out;
  EXPECT_FALSE(DecodeRleHybrid(encoded.substr(0, encoded.size() - 1), 2, 9, out).ok());
  out.clear();
  EXPECT_FALSE(DecodeRleHybrid(encoded, 2, 100, out).ok());
}

TEST(RleTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
}

}  // namespace
}  // namespace tunepack::parquet::internal
