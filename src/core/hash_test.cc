#include "tunepack/core/hash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

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

// Megabytes fed in uneven pieces take the streaming hasher's vector code (the dispatched
// AVX2/AVX-512 update) through partial stripes and whole blocks; the one-shot hash is
// hash.cc's own inlined copy of XXH3, a separate implementation of the same function.
TEST(HashTest, StreamingEqualsOneShotOverMegabytesInUnevenPieces) {
  std::string data(3 << 20, '\0');
  uint64_t x = 88172645463325252ull;
  for (char& c : data) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  StreamingHasher hasher;
  const size_t pieces[] = {1, 63, 64, 65, 240, 1023, 1024, 4096, 65537, 1 << 20};
  size_t at = 0;
  for (size_t i = 0; at < data.size(); ++i) {
    const size_t size = std::min(pieces[i % std::size(pieces)], data.size() - at);
    hasher.Update(std::string_view(data).substr(at, size));
    at += size;
  }
  EXPECT_EQ(hasher.Digest(), HashBytes(data));
  data[data.size() / 2] ^= 1;
  EXPECT_NE(hasher.Digest(), HashBytes(data));
}

}  // namespace
}  // namespace tunepack
