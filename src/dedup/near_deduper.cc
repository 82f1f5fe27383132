#include "tunepack/dedup/near_deduper.h"

#include <algorithm>
#include <limits>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tunepack/dedup/text_key.h"

namespace tunepack::dedup {
namespace {

constexpr uint32_t kNoRecord = std::numeric_limits<uint32_t>::max();

}  // namespace

Result<NearDeduper> NearDeduper::Create(const NearDedupOptions& options) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return InvalidArgumentError("dedup threshold must be in (0, 1]");
  }
  if (options.ngram < 1 || options.ngram > 64) {
    return InvalidArgumentError("dedup n-gram size must be between 1 and 64");
  }
  if (options.num_hashes < 1 || options.num_hashes > 1024) {
    return InvalidArgumentError("dedup hash count must be between 1 and 1024");
  }
  LshParams lsh{options.bands, options.rows};
  if (lsh.bands == 0 && lsh.rows == 0) {
    // A verifying deduper removes false candidates afterwards, so LSH only has to let 99%
    // of the pairs at the threshold through; without verification the S-curve is all there
    // is, and it is centred to balance false positives and negatives.
    lsh = options.verification == Verification::kNone
              ? ChooseLshParams(options.threshold, options.num_hashes)
              : ChooseRecallLshParams(options.threshold, options.num_hashes);
  } else if (lsh.bands < 1 || lsh.rows < 1 || lsh.bands * lsh.rows > options.num_hashes) {
    return InvalidArgumentError("dedup bands x rows must be positive and at most the hash count");
  }
  return NearDeduper(options, lsh);
}

NearDeduper::NearDeduper(const NearDedupOptions& options, LshParams lsh)
    : options_(options), lsh_(lsh), hasher_(options.num_hashes, options.seed) {}

Signature NearDeduper::Sign(std::string_view text) const {
  thread_local std::vector<uint64_t> words;
  thread_local std::vector<uint64_t> shingles;
  words.clear();
  shingles.clear();
  HashWords(text, &words);
  ShinglesOfWords(words, options_.ngram, &shingles);
  Signature signature;
  if (shingles.empty()) return signature;
  hasher_.Sign(shingles.data(), shingles.size(), &signature.minhashes);
  if (options_.verification == Verification::kExact) {
    signature.shingles.reserve(shingles.size());
    for (uint64_t shingle : shingles) signature.shingles.push_back(static_cast<uint32_t>(shingle >> 32));
    std::sort(signature.shingles.begin(), signature.shingles.end());
    signature.shingles.erase(std::unique(signature.shingles.begin(), signature.shingles.end()),
                             signature.shingles.end());
  }
  return signature;
}

double NearDeduper::Similarity(const Signature& signature, std::span<const uint32_t> earlier_minhashes,
                               std::span<const uint32_t> earlier_shingles) const {
  switch (options_.verification) {
    case Verification::kNone:
      return -1.0;
    case Verification::kSignature: {
      const size_t k = signature.minhashes.size();
      size_t equal = 0;
      for (size_t i = 0; i < k; ++i) equal += signature.minhashes[i] == earlier_minhashes[i];
      return static_cast<double>(equal) / static_cast<double>(k);
    }
    case Verification::kExact:
      return Jaccard(std::span<const uint32_t>(signature.shingles), earlier_shingles);
  }
  return -1.0;
}

double NearDeduper::Similarity(const Signature& signature, uint32_t record) const {
  std::span<const uint32_t> minhashes;
  std::span<const uint32_t> shingles;
  if (options_.verification == Verification::kSignature) {
    const size_t k = signature.minhashes.size();
    minhashes = std::span<const uint32_t>(signatures_.data() + static_cast<size_t>(record) * k, k);
  } else if (options_.verification == Verification::kExact) {
    shingles = std::span<const uint32_t>(shingles_.data() + shingle_offsets_[record],
                                         shingles_.data() + shingle_offsets_[record + 1]);
  }
  return Similarity(signature, minhashes, shingles);
}

uint64_t NearDeduper::BandKey(std::span<const uint32_t> minhashes, int band) const {
  const uint32_t* values = minhashes.data() + static_cast<size_t>(band) * lsh_.rows;
  const uint64_t key = XXH3_64bits_withSeed(values, sizeof(uint32_t) * lsh_.rows, static_cast<uint64_t>(band) + 1);
  return key == 0 ? 1 : key;
}

Verdict NearDeduper::Insert(const Signature& signature, uint64_t id) {
  Verdict verdict;
  // A text without words has nothing to compare; exact dedup is the tool for those.
  if (signature.minhashes.empty()) return verdict;

  const uint32_t record = static_cast<uint32_t>(kept_id_.size());
  candidates_.clear();
  for (int band = 0; band < lsh_.bands; ++band) {
    uint32_t first = table_.FindOrInsert(BandKey(signature.minhashes, band), record);
    if (first != record) candidates_.push_back(first);
  }
  if (!candidates_.empty()) {
    // Earliest candidate first: the verdict does not depend on band order or hash values.
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    for (uint32_t candidate : candidates_) {
      double similarity = Similarity(signature, candidate);
      if (Accepts(similarity)) {
        verdict.duplicate = true;
        verdict.kept_id = kept_id_[candidate];
        verdict.similarity = similarity;
        break;
      }
    }
  }

  kept_id_.push_back(verdict.duplicate ? verdict.kept_id : id);
  if (options_.verification == Verification::kSignature) {
    signatures_.insert(signatures_.end(), signature.minhashes.begin(), signature.minhashes.end());
  } else if (options_.verification == Verification::kExact) {
    if (shingle_offsets_.empty()) shingle_offsets_.push_back(0);
    shingles_.insert(shingles_.end(), signature.shingles.begin(), signature.shingles.end());
    shingle_offsets_.push_back(shingles_.size());
  }
  return verdict;
}

uint32_t NearDeduper::BandTable::FindOrInsert(uint64_t key, uint32_t record) {
  if ((used + 1) * 4 > keys.size() * 3) Grow();
  const size_t mask = keys.size() - 1;
  size_t slot = static_cast<size_t>(key) & mask;
  while (true) {
    if (keys[slot] == key) return records[slot];
    if (keys[slot] == 0) {
      keys[slot] = key;
      records[slot] = record;
      ++used;
      return record;
    }
    slot = (slot + 1) & mask;
  }
}

void NearDeduper::BandTable::Grow() {
  std::vector<uint64_t> old_keys = std::move(keys);
  std::vector<uint32_t> old_records = std::move(records);
  size_t capacity = old_keys.empty() ? 1024 : old_keys.size() * 2;
  keys.assign(capacity, 0);
  records.assign(capacity, kNoRecord);
  const size_t mask = capacity - 1;
  for (size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == 0) continue;
    size_t slot = static_cast<size_t>(old_keys[i]) & mask;
    while (keys[slot] != 0) slot = (slot + 1) & mask;
    keys[slot] = old_keys[i];
    records[slot] = old_records[i];
  }
}

size_t NearDeduper::MemoryBytes() const {
  return table_.keys.capacity() * sizeof(uint64_t) +
         table_.records.capacity() * sizeof(uint32_t) + kept_id_.capacity() * sizeof(uint64_t) +
         signatures_.capacity() * sizeof(uint32_t) + shingles_.capacity() * sizeof(uint32_t) +
         shingle_offsets_.capacity() * sizeof(uint64_t);
}

}  // namespace tunepack::dedup
