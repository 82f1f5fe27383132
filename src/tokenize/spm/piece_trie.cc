#include "tokenize/spm/piece_trie.h"

#include <algorithm>
#include <cstdint>
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
    Children children;
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
        Take(slot);
      }
      for (const auto& [label, range] : children) {
        tasks.push_back({static_cast<uint32_t>(base + label), range.first, range.second, task.depth + 1});
      }
    }
  }

 private:
  using Children = std::vector<std::pair<uint8_t, std::pair<size_t, size_t>>>;
  static constexpr uint32_t kNone = UINT32_MAX;
  // Free slots are looked for among the last kWindow slots of the array only, through a
  // list of those that are free, in order; a free slot left behind stays a hole. A search
  // stays short and its memory in cache, for an array slightly larger than a search of
  // every free slot would give.
  static constexpr size_t kWindow = 4096;

  // Returns a base >= 1, used by no other state, whose slots for every child label are
  // free: the first that fits among the free slots of the window, else one past the end.
  uint32_t FindBase(const Children& children) {
    const uint8_t first_label = children.front().first;
    for (uint32_t slot = head_; slot != kNone; slot = next_[slot]) {
      if (slot > first_label && Fits(slot - first_label, children)) return Use(slot - first_label);
    }
    size_t base = std::max<size_t>(1, taken_.size() > first_label ? taken_.size() - first_label : 1);
    while (!Fits(base, children)) ++base;
    return Use(base);
  }

  bool Fits(size_t base, const Children& children) const {
    if (base < used_bases_.size() && used_bases_[base]) return false;
    for (const auto& child : children) {
      const size_t slot = base + child.first;
      if (slot < taken_.size() && taken_[slot]) return false;
    }
    return true;
  }

  uint32_t Use(size_t base) {
    if (base >= used_bases_.size()) used_bases_.resize(std::max(base + 1, used_bases_.size() * 2), false);
    used_bases_[base] = true;
    return static_cast<uint32_t>(base);
  }

  // Takes a free slot: the array grows to it, its new slots joining the list, and the
  // window moves with the end.
  void Take(size_t slot) {
    while (taken_.size() <= slot) {
      const auto added = static_cast<uint32_t>(taken_.size());
      taken_.push_back(false);
      prev_.push_back(tail_);
      next_.push_back(kNone);
      (tail_ == kNone ? head_ : next_[tail_]) = added;
      tail_ = added;
    }
    taken_[slot] = true;
    Unlink(static_cast<uint32_t>(slot));
    while (head_ != kNone && head_ + kWindow < taken_.size()) Unlink(head_);
  }

  void Unlink(uint32_t slot) {
    (prev_[slot] == kNone ? head_ : next_[prev_[slot]]) = next_[slot];
    (next_[slot] == kNone ? tail_ : prev_[next_[slot]]) = prev_[slot];
  }

  const std::vector<PieceTrie::Entry>& keys_;
  // By slot: taken, and the free list's links. Slot 0, the root, is taken. Flags are
  // bytes, not std::vector<bool>'s bits: Fits reads them for every candidate base, and the
  // bit extraction was 15% of a 50,000-piece model's load.
  std::vector<uint8_t> taken_ = {true};
  std::vector<uint32_t> prev_ = {kNone};
  std::vector<uint32_t> next_ = {kNone};
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  std::vector<uint8_t> used_bases_;
};

}  // namespace

PieceTrie PieceTrie::Build(std::vector<Entry> entries, int32_t* first_repeat) {
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
  // Equal keys are neighbours, in their order: each but the first of a run is a repeat.
  if (first_repeat != nullptr) {
    uint32_t least = UINT32_MAX;
    for (size_t i = 1; i < order.size(); ++i) {
      const Keyed& before = order[i - 1];
      const Keyed& here = order[i];
      if (before.prefix != here.prefix || entries[before.position].piece != entries[here.position].piece) continue;
      least = std::min(least, here.position);
    }
    *first_repeat = least == UINT32_MAX ? kNoValue : entries[least].value;
  }
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
