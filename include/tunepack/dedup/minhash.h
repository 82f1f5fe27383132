// MinHash signatures over word n-gram shingles, and the LSH banding that turns them into
// candidate pairs.
//
// Two texts whose shingle sets have Jaccard similarity s agree on each MinHash value with
// probability s. Splitting k values into b bands of r rows and calling two texts candidates
// when any band matches gives P(candidate) = 1 - (1 - s^r)^b, an S-curve whose steep part
// sits near (1/b)^(1/r). ChooseLshParams picks b and r for a threshold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::dedup {

// Returns the sorted, distinct 64-bit hashes of the word `ngram`-grams of `text` (words as
// HashWords defines them). A text with fewer than `ngram` words yields one shingle made of
// all its words, so short texts still compare; a text with no words yields none.
std::vector<uint64_t> Shingles(std::string_view text, int ngram);

// Appends the shingle hashes of `word_hashes` to `out`, unsorted and possibly repeated.
void ShinglesOfWords(const std::vector<uint64_t>& word_hashes, int ngram,
                     std::vector<uint64_t>* out);

// Returns |a ∩ b| / |a ∪ b| for sorted, distinct sets; 0 when both are empty.
double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);
double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// LshParams: the banding of a signature.
struct LshParams {
  int bands = 0;
  int rows = 0;

  // Returns (1/b)^(1/r), the similarity where the S-curve is steepest.
  double Threshold() const;
  // Returns 1 - (1 - s^r)^b, the probability that texts of similarity `s` become candidates.
  double CandidateProbability(double s) const;
  // Returns "b=14 r=8 (112 hashes, S-curve at 0.72)".
  std::string ToString() const;
};

// Returns the b x r <= `num_hashes` that minimises
//   (1 - fn_weight) * ∫_0^t P(s) ds  +  fn_weight * ∫_t^1 (1 - P(s)) ds,
// the weighted areas of false positives and false negatives around `threshold` t (the
// criterion text-dedup's optimal_param uses, written from its definition). A verifying
// deduper can afford candidates below t, so it passes a larger `fn_weight`.
LshParams ChooseLshParams(double threshold, int num_hashes, double fn_weight = 0.5);

// Returns the b x r <= `num_hashes` whose candidate probability at `threshold` is at least
// `min_recall` and whose false-positive area ∫_0^t P(s) ds (the candidates a verifier must
// reject) is smallest; falls back to ChooseLshParams when no banding reaches `min_recall`.
// For deduplicators that verify candidates: their recall is what LSH lets through.
LshParams ChooseRecallLshParams(double threshold, int num_hashes, double min_recall = 0.99);

// MinHasher computes signatures: k hash functions h_i(x) = fmix32(x ^ seed_i) over the
// shingles folded to 32 bits, each keeping its minimum. Immutable after construction;
// Sign is thread-safe.
class MinHasher {
 public:
  MinHasher(int num_hashes, uint64_t seed);

  // Writes the signature of `shingles` to `signature` (resized to num_hashes). An empty
  // shingle set gives all values 0xFFFFFFFF.
  void Sign(const uint64_t* shingles, size_t count, std::vector<uint32_t>* signature) const;

  int num_hashes() const { return static_cast<int>(seeds_.size()); }

 private:
  std::vector<uint32_t> seeds_;
};

}  // namespace tunepack::dedup
