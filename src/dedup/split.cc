#include "tunepack/dedup/split.h"

namespace tunepack::dedup {

Split AssignSplit(const Hash128& key, double validation_fraction, uint64_t seed) {
  // splitmix64's finaliser over both halves and the seed: a seed change reshuffles the
  // assignment completely instead of shifting it.
  uint64_t x = key.low ^ (key.high * 0x9e3779b97f4a7c15ULL) ^ (seed * 0xbf58476d1ce4e5b9ULL);
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  double unit = static_cast<double>(x >> 11) * 0x1.0p-53;
  return unit < validation_fraction ? Split::kValidation : Split::kTrain;
}

}  // namespace tunepack::dedup
