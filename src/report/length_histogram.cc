#include "tunepack/report/length_histogram.h"

#include <algorithm>
#include <cmath>

namespace tunepack::report {

void LengthHistogram::Add(uint64_t value) {
  ++counts_[value];
  ++count_;
  sum_ += value;
}

uint64_t LengthHistogram::min() const { return counts_.empty() ? 0 : counts_.begin()->first; }

uint64_t LengthHistogram::max() const { return counts_.empty() ? 0 : counts_.rbegin()->first; }

double LengthHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

uint64_t LengthHistogram::Percentile(double fraction) const {
  if (count_ == 0) return 0;
  // Nearest rank: the ceil(fraction * n)-th smallest value, 1-based. The small epsilon keeps
  // 0.9 * 10 from becoming rank 10 through floating-point error (9.000000000000002).
  const double exact = std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count_);
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (const auto& [value, times] : counts_) {
    seen += times;
    if (seen >= rank) return value;
  }
  return max();
}

std::vector<LengthHistogram::Bin> LengthHistogram::Bins(size_t max_bins) const {
  std::vector<Bin> bins;
  if (count_ == 0 || max_bins == 0) return bins;
  const uint64_t low = min();
  const uint64_t span = max() - low + 1;
  const uint64_t width = (span + max_bins - 1) / max_bins;
  const uint64_t n = (span + width - 1) / width;
  bins.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    bins[i].from = low + i * width;
    bins[i].to = bins[i].from + width - 1;
  }
  bins.back().to = max();  // the last bin ends at the largest value, not past it
  for (const auto& [value, times] : counts_) bins[(value - low) / width].count += times;
  return bins;
}

uint64_t LengthHistogram::CountAbove(uint64_t limit) const {
  uint64_t n = 0;
  for (auto it = counts_.upper_bound(limit); it != counts_.end(); ++it) n += it->second;
  return n;
}

uint64_t LengthHistogram::ExcessAbove(uint64_t limit) const {
  uint64_t n = 0;
  for (auto it = counts_.upper_bound(limit); it != counts_.end(); ++it) {
    n += (it->first - limit) * it->second;
  }
  return n;
}

}  // namespace tunepack::report
