#include "tokenize/spm/piece_trie.h"

#include <algorithm>
#include <array>
#include <string>

namespace tunepack::tokenize::spm {
namespace {

// Places the children of each state into a double array, from the sorted keys: the keys
// of keys[begin, end) share their first `depth` bytes, which lead to `state`.
class Builder {
 public:
  explicit Builder(const std::vector<PieceTrie::Entry>& keys) : keys_(keys) {}

  template <typename Unit>
  void Place(std::vector<Unit>* units) {
    units->assign(1, Unit{});
    units->reserve(keys_.size() * 4 + 257);
    units->front().word = 0x100;  // the root is taken
    struct Task {
      uint32_t state;
      size_t begin;
      size_t end;
      size_t depth;
    };
    std::vector<Task> tasks = {{0, 0, keys_.size(), 0}};
    std::vector<std::pair<uint8_t, std::pair<size_t, size_t>>> children;
    while (!tasks.empty()) {
      const Task task = tasks.back();
      tasks.pop_back();
      size_t begin = task.begin;
      // A key that ends here gives the state its value (equal keys: the later one).
      while (begin < task.end && keys_[begin].piece.size() == task.depth) {
        Unit& unit = (*units)[task.state];
        unit.word = (unit.word & 0x1FFu) | (static_cast<uint32_t>(keys_[begin].value + 1) << 9);
        ++begin;
      }
      children.clear();
      for (size_t i = begin; i < task.end;) {
        const auto label = static_cast<uint8_t>(keys_[i].piece[task.depth]);
        size_t j = i + 1;
        while (j < task.end && static_cast<uint8_t>(keys_[j].piece[task.depth]) == label) ++j;
        children.push_back({label, {i, j}});
        i = j;
      }
      if (children.empty()) continue;
      const uint32_t base = FindBase(children);
      (*units)[task.state].base = base;
      for (const auto& [label, range] : children) {
        const uint32_t slot = base + label;
        if (slot >= units->size()) units->resize(slot + 1, Unit{});
        (*units)[slot].word = 0x100u | label;
        Mark(slot);
      }
      for (const auto& [label, range] : children) {
        tasks.push_back({static_cast<uint32_t>(base + label), range.first, range.second, task.depth + 1});
      }
    }
  }

 private:
  // Returns a base >= 1, used by no other state, whose slots for every child label are
  // free. Candidates are free slots only, found through NextFree, so a long stretch of
  // taken slots is skipped at once; the search for a first label starts where its last
  // one ended, as the bases before it are mostly taken.
  uint32_t FindBase(const std::vector<std::pair<uint8_t, std::pair<size_t, size_t>>>& children) {
    const uint8_t first_label = children.front().first;
    size_t& hint = search_from_[first_label];
    for (size_t slot = NextFree(std::max<size_t>(first_label + 1u, hint));; slot = NextFree(slot + 1)) {
      const size_t base = slot - first_label;
      if (base < used_bases_.size() && used_bases_[base]) continue;
      bool fits = true;
      for (size_t i = 1; i < children.size() && fits; ++i) {
        fits = IsFree(base + children[i].first);
      }
      if (fits) {
        if (base >= used_bases_.size()) used_bases_.resize(std::max(base + 1, used_bases_.size() * 2), false);
        used_bases_[base] = true;
        hint = slot;
        return static_cast<uint32_t>(base);
      }
    }
  }

  // Returns the first free slot at or after `slot`: next_[s] == s for a free slot, else a
  // later slot to look from (shortened on every search, as in a union-find).
  size_t NextFree(size_t slot) {
    Grow(slot);
    size_t root = slot;
    while (next_[root] != root) {
      root = next_[root];
      Grow(root);
    }
    while (next_[slot] != root) {
      const size_t after = next_[slot];
      next_[slot] = static_cast<uint32_t>(root);
      slot = after;
    }
    return root;
  }

  bool IsFree(size_t slot) { return slot >= next_.size() || next_[slot] == slot; }

  void Mark(size_t slot) {
    Grow(slot + 1);
    next_[slot] = static_cast<uint32_t>(slot + 1);
  }

  void Grow(size_t slot) {
    if (slot < next_.size()) return;
    // New slots are free; doubled at once, as this runs on every step of a search.
    size_t size = next_.size();
    next_.resize(std::max(slot + 1, size * 2));
    for (; size < next_.size(); ++size) next_[size] = static_cast<uint32_t>(size);
  }

  const std::vector<PieceTrie::Entry>& keys_;
  std::vector<uint32_t> next_ = {1};  // slot 0: the root
  std::vector<bool> used_bases_;
  std::array<size_t, 256> search_from_{};
};

}  // namespace

PieceTrie PieceTrie::Build(std::vector<Entry> entries) {
  std::erase_if(entries, [](const Entry& entry) {
    return entry.piece.empty() || entry.value < 0 || entry.value > kMaxValue;
  });
  // Sorted by bytes (unsigned, as the labels), equal keys kept in their order. Most pairs
  // differ in their first 8 bytes, compared as one big-endian integer; the rest compare
  // whole (a shorter key padded with zeros may tie with a longer one), then by position.
  struct Keyed {
    uint64_t prefix;
    uint32_t position;
  };
  std::vector<Keyed> order(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    uint64_t prefix = 0;
    const std::string_view piece = entries[i].piece;
    for (size_t byte = 0; byte < 8; ++byte) {
      prefix = (prefix << 8) | (byte < piece.size() ? static_cast<uint8_t>(piece[byte]) : 0u);
    }
    order[i] = {prefix, static_cast<uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const int bytes = entries[a.position].piece.compare(entries[b.position].piece);
    return bytes != 0 ? bytes < 0 : a.position < b.position;
  });
  // The builder reads the keys in this order, many times each: their bytes are copied
  // into one buffer in the same order, rather than read where they lie.
  size_t total_bytes = 0;
  for (const Entry& entry : entries) total_bytes += entry.piece.size();
  std::string bytes;
  bytes.reserve(total_bytes);
  std::vector<Entry> sorted;
  sorted.reserve(entries.size());
  for (const Keyed& keyed : order) {
    const Entry& entry = entries[keyed.position];
    sorted.push_back({std::string_view(bytes.data() + bytes.size(), entry.piece.size()), entry.value});
    bytes.append(entry.piece);
  }
  PieceTrie trie;
  Builder(sorted).Place(&trie.units_);
  // The slots base + label of every state exist, taken or not (Child reads them unchecked).
  uint32_t max_base = 0;
  for (const Unit& unit : trie.units_) max_base = std::max(max_base, unit.base);
  trie.units_.resize(std::max<size_t>(trie.units_.size(), size_t{max_base} + 256));
  return trie;
}

}  // namespace tunepack::tokenize::spm
