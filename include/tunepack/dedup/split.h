// Deterministic train/validation assignment by content hash.
#pragma once

#include <cstdint>

#include "tunepack/core/hash.h"

namespace tunepack::dedup {

enum class Split { kTrain, kValidation };

// Returns the split of a record whose exact-dedup key is `key` (ExactDeduper::Key): the
// key's hash is mixed with `seed` and mapped to [0, 1); below `validation_fraction` is
// validation. The same text always lands in the same split, whatever the input order or
// thread count, so exact duplicates can never straddle the two. For near-duplicates, pass
// the key of the group's kept record (or run near dedup, which drops them).
Split AssignSplit(const Hash128& key, double validation_fraction, uint64_t seed = 0);

}  // namespace tunepack::dedup
