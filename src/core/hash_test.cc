#include "tunepack/core/hash.h"

#include <gtest/gtest.h>

namespace tunepack {
namespace {

TEST(HashTest, KnownXxh3Values) {
  // Reference values from the xxhsum tool: `printf '' | xxh128sum`, `printf abc | xxh128sum`.
  EXPECT_EQ(HashBytes("").Hex(), "99aa06d3014798d86001c324468d497f");
  EXPECT_EQ(HashBytes("abc").Hex(), "06b05ab6733a618578af5f94892f3950");
}

TEST(HashTest, StreamingEqualsOneShot) {
  StreamingHasher hasher;
  hasher.Update("hello ");
  hasher.Update("world");
  EXPECT_EQ(hasher.Digest(), HashBytes("hello world"));
  EXPECT_NE(HashBytes("hello world"), HashBytes("hello World"));
}

}  // namespace
}  // namespace tunepack
