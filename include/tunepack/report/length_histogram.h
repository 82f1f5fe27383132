// LengthHistogram: the exact distribution of non-negative integer values (tokens per example,
// turns per conversation). It keeps one counter per distinct value, so its memory grows with
// the number of distinct lengths (at most the longest example), never with the record count,
// and percentiles are exact rather than estimated from buckets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace tunepack::report {

class LengthHistogram {
 public:
  // HistogramBin: the values in [from, to] (both inclusive) and how many there were.
  struct Bin {
    uint64_t from = 0;
    uint64_t to = 0;
    uint64_t count = 0;
  };

  // Records one value.
  void Add(uint64_t value);

  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }
  // Returns the smallest value, or 0 when empty.
  uint64_t min() const;
  // Returns the largest value, or 0 when empty.
  uint64_t max() const;
  // Returns the arithmetic mean, or 0 when empty.
  double mean() const;

  // Returns the nearest-rank percentile: the smallest recorded value v such that at least
  // `fraction` of the values are <= v (`fraction` in (0, 1]). Returns 0 when empty.
  //
  // Example: for {1, 2, 3, 4}, Percentile(0.5) == 2 and Percentile(0.9) == 4.
  uint64_t Percentile(double fraction) const;

  // Returns at most `max_bins` equal-width bins covering [min, max], in order (the last one
  // ends at max, so it may be narrower); bins between the first and the last may have a
  // count of 0. Empty when nothing was recorded.
  std::vector<Bin> Bins(size_t max_bins) const;

  // Returns how many recorded values are greater than `limit`.
  uint64_t CountAbove(uint64_t limit) const;
  // Returns the sum over recorded values v > `limit` of (v - limit): the tokens a trainer
  // would cut off at that limit.
  uint64_t ExcessAbove(uint64_t limit) const;

 private:
  std::map<uint64_t, uint64_t> counts_;  // value -> how many times it was recorded
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
};

}  // namespace tunepack::report
