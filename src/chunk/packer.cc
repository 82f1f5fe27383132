#include "tunepack/chunk/packer.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace tunepack::chunk {
namespace {

// Max-segment tree over the bins' free space: finds the first bin with at least `need`
// free tokens in O(log bins). Bins are opened in order, so the tree covers a prefix.
class FreeSpaceTree {
 public:
  explicit FreeSpaceTree(size_t max_bins) {
    size_ = 1;
    while (size_ < std::max<size_t>(max_bins, 1)) size_ *= 2;
    tree_.assign(2 * size_, 0);
  }
  // Returns the first bin with free space >= need, or npos.
  size_t FindFirst(size_t need) const {
    if (tree_[1] < need) return npos;
    size_t node = 1;
    while (node < size_) node = tree_[2 * node] >= need ? 2 * node : 2 * node + 1;
    return node - size_;
  }
  void Set(size_t bin, size_t free) {
    size_t node = bin + size_;
    tree_[node] = free;
    for (node /= 2; node >= 1; node /= 2) tree_[node] = std::max(tree_[2 * node], tree_[2 * node + 1]);
  }
  static constexpr size_t npos = static_cast<size_t>(-1);

 private:
  size_t size_ = 1;
  std::vector<size_t> tree_;
};

}  // namespace

std::vector<PackBin> PackFirstFitDecreasing(std::span<const size_t> lengths, size_t capacity,
                                            std::vector<uint32_t>* overlong) {
  std::vector<uint32_t> order;
  order.reserve(lengths.size());
  for (uint32_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] > capacity) {
      if (overlong) overlong->push_back(i);
    } else {
      order.push_back(i);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return lengths[a] > lengths[b]; });
  std::vector<PackBin> bins;
  FreeSpaceTree tree(order.size());
  for (uint32_t item : order) {
    size_t bin = tree.FindFirst(std::max<size_t>(lengths[item], 1));
    if (bin == FreeSpaceTree::npos || bin >= bins.size()) {
      bin = bins.size();
      bins.emplace_back();
    }
    bins[bin].items.push_back(item);
    bins[bin].used += lengths[item];
    tree.Set(bin, capacity - bins[bin].used);
  }
  return bins;
}

double PackingEfficiency(const std::vector<PackBin>& bins, size_t capacity) {
  if (bins.empty() || capacity == 0) return 0.0;
  size_t used = 0;
  for (const PackBin& bin : bins) used += bin.used;
  return static_cast<double>(used) / (static_cast<double>(bins.size()) * capacity);
}

Result<PackedSequence> LayOutBin(const PackBin& bin, std::span<const TokenizedExample> examples) {
  PackedSequence seq;
  seq.input_ids.reserve(bin.used);
  seq.position_ids.reserve(bin.used);
  seq.labels.reserve(bin.used);
  for (uint32_t item : bin.items) {
    if (item >= examples.size()) return InvalidArgumentError("pack bin names a missing example");
    const TokenizedExample& ex = examples[item];
    if (!ex.trained.empty() && ex.trained.size() != ex.ids.size()) {
      return InvalidArgumentError("example " + std::to_string(item) + ": trained mask has " +
                                  std::to_string(ex.trained.size()) + " entries for " +
                                  std::to_string(ex.ids.size()) + " tokens");
    }
    for (size_t t = 0; t < ex.ids.size(); ++t) {
      seq.input_ids.push_back(ex.ids[t]);
      seq.position_ids.push_back(static_cast<uint32_t>(t));
      bool trained = t > 0 && (ex.trained.empty() || ex.trained[t] != 0);
      seq.labels.push_back(trained ? static_cast<int64_t>(ex.ids[t]) : -100);
    }
    seq.lengths.push_back(static_cast<uint32_t>(ex.ids.size()));
  }
  return seq;
}

}  // namespace tunepack::chunk
