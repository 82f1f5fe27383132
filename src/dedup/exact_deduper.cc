#include "tunepack/dedup/exact_deduper.h"

namespace tunepack::dedup {

Verdict ExactDeduper::Insert(const Hash128& key, uint64_t id) {
  auto [it, inserted] = first_id_.try_emplace(key, id);
  Verdict verdict;
  if (!inserted) {
    verdict.duplicate = true;
    verdict.kept_id = it->second;
  }
  return verdict;
}

}  // namespace tunepack::dedup
