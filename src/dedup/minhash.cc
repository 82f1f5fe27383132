#include "tunepack/dedup/minhash.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "tunepack/dedup/text_key.h"

namespace tunepack::dedup {
namespace {

// splitmix64's finaliser: spreads the bits of an order-dependent combination of word
// hashes so that shingles that share words are still unrelated 64-bit values.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t CombineWords(const uint64_t* words, size_t count) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < count; ++i) h = (h ^ words[i]) * 0x100000001b3ULL + i;
  return Mix(h);
}

// Integrates f over [lo, hi] with the midpoint rule; the integrands are smooth and
// bounded by 1, so 200 steps are plenty to rank band/row choices.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 200;
  double step = (hi - lo) / kSteps;
  double sum = 0;
  for (int i = 0; i < kSteps; ++i) sum += f(lo + (i + 0.5) * step);
  return sum * step;
}

}  // namespace

void ShinglesOfWords(const std::vector<uint64_t>& word_hashes, int ngram,
                     std::vector<uint64_t>* out) {
  size_t n = static_cast<size_t>(std::max(ngram, 1));
  if (word_hashes.empty()) return;
  if (word_hashes.size() < n) {
    out->push_back(CombineWords(word_hashes.data(), word_hashes.size()));
    return;
  }
  for (size_t i = 0; i + n <= word_hashes.size(); ++i) {
    out->push_back(CombineWords(word_hashes.data() + i, n));
  }
}

std::vector<uint64_t> Shingles(std::string_view text, int ngram) {
  std::vector<uint64_t> words;
  HashWords(text, &words);
  std::vector<uint64_t> shingles;
  ShinglesOfWords(words, ngram, &shingles);
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

template <typename T>
double SortedJaccard(std::span<const T> a, std::span<const T> b) {
  if (a.empty() && b.empty()) return 0.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  return SortedJaccard(a, b);
}
double Jaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  return SortedJaccard(a, b);
}

double LshParams::Threshold() const {
  return std::pow(1.0 / bands, 1.0 / rows);
}

double LshParams::CandidateProbability(double s) const {
  return 1.0 - std::pow(1.0 - std::pow(s, rows), bands);
}

std::string LshParams::ToString() const {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "b=%d r=%d (%d hashes, S-curve at %.3f)", bands, rows,
                bands * rows, Threshold());
  return buf;
}

LshParams ChooseLshParams(double threshold, int num_hashes, double fn_weight) {
  LshParams best{1, std::max(num_hashes, 1)};
  double best_error = std::numeric_limits<double>::infinity();
  for (int bands = 1; bands <= num_hashes; ++bands) {
    for (int rows = 1; bands * rows <= num_hashes; ++rows) {
      LshParams p{bands, rows};
      double fp = Integrate([&](double s) { return p.CandidateProbability(s); }, 0.0, threshold);
      double fn =
          Integrate([&](double s) { return 1.0 - p.CandidateProbability(s); }, threshold, 1.0);
      double error = (1.0 - fn_weight) * fp + fn_weight * fn;
      // Strictly better only: ties keep the smaller band count, which needs less memory.
      if (error < best_error) {
        best_error = error;
        best = p;
      }
    }
  }
  return best;
}

LshParams ChooseRecallLshParams(double threshold, int num_hashes, double min_recall) {
  LshParams best{0, 0};
  double best_fp = std::numeric_limits<double>::infinity();
  for (int bands = 1; bands <= num_hashes; ++bands) {
    for (int rows = 1; bands * rows <= num_hashes; ++rows) {
      LshParams p{bands, rows};
      if (p.CandidateProbability(threshold) < min_recall) continue;
      double fp = Integrate([&](double s) { return p.CandidateProbability(s); }, 0.0, threshold);
      if (fp < best_fp) {
        best_fp = fp;
        best = p;
      }
    }
  }
  return best.bands > 0 ? best : ChooseLshParams(threshold, num_hashes, 0.9);
}

MinHasher::MinHasher(int num_hashes, uint64_t seed) {
  seeds_.resize(static_cast<size_t>(std::max(num_hashes, 1)));
  uint64_t state = seed;
  for (uint32_t& s : seeds_) {
    state += 0x9e3779b97f4a7c15ULL;
    s = static_cast<uint32_t>(Mix(state) >> 32);
  }
}

namespace {

// h_i(x) = fmix32(x ^ seed_i): murmur3's finaliser is a bijection on 32 bits with full
// avalanche, so each h_i is a pseudo-random permutation of the 32-bit shingle space. Only
// 32-bit lane operations (xor, shift, multiply, min), so the loop vectorises: 8 hashes per
// AVX2 instruction, against one 64-bit multiply-add-shift per hash in scalar code.
__attribute__((target_clones("avx2", "default"))) void SignLoop(
    const uint64_t* shingles, size_t count, const uint32_t* seeds, size_t k, uint32_t* sig) {
  for (size_t s = 0; s < count; ++s) {
    const uint32_t x = static_cast<uint32_t>(shingles[s] ^ (shingles[s] >> 32));
    for (size_t i = 0; i < k; ++i) {
      uint32_t h = x ^ seeds[i];
      h ^= h >> 16;
      h *= 0x85ebca6bU;
      h ^= h >> 13;
      h *= 0xc2b2ae35U;
      h ^= h >> 16;
      sig[i] = h < sig[i] ? h : sig[i];
    }
  }
}

}  // namespace

void MinHasher::Sign(const uint64_t* shingles, size_t count,
                     std::vector<uint32_t>* signature) const {
  signature->assign(seeds_.size(), std::numeric_limits<uint32_t>::max());
  // Shingle-outer, hash-inner: the k minima stay in L1 and the inner loop has no
  // dependencies between iterations.
  SignLoop(shingles, count, seeds_.data(), seeds_.size(), signature->data());
}

}  // namespace tunepack::dedup
