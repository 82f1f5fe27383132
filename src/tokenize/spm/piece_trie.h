// PieceTrie: a byte trie over a model's pieces, walked from one position of the text to
// find every piece that starts there (Viterbi in the unigram model, the longest user-defined
// symbol in the normaliser and the BPE's first split). It is a double array: the child of
// state s on byte c is state base[s] + c when that slot's check names s, so each step is
// two reads with no search, whatever the number of children (the state after "▁" has
// thousands).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace tunepack::tokenize::spm {

class PieceTrie {
 public:
  static constexpr int32_t kNoValue = -1;

  // Entry: a piece, its value (>= 0) and a score kept beside it, so that a walk that finds
  // the piece reads both from the one unit.
  struct Entry {
    std::string_view piece;
    int32_t value;
    float score = 0;
  };

  // Builds the trie of `entries`. Empty pieces are skipped; of two equal pieces the later
  // entry is kept.
  static PieceTrie Build(std::vector<Entry> entries);

  bool empty() const { return units_.size() <= 1; }

  // Returns whether some piece starts with `byte`.
  bool HasPieceStartingWith(uint8_t byte) const {
    const uint32_t next = static_cast<uint32_t>(units_[0].base) + byte;
    return !empty() && next < units_.size() && units_[next].check == 0;
  }

  // Calls `visit(length, value, score)` for each piece that is a prefix of `text`, shortest
  // first.
  template <typename Visit>
  void ForEachPrefix(std::string_view text, Visit&& visit) const {
    const Unit* units = units_.data();
    const auto size = static_cast<uint32_t>(units_.size());
    uint32_t state = 0;
    for (size_t pos = 0; pos < text.size(); ++pos) {
      const uint32_t next = static_cast<uint32_t>(units[state].base) + static_cast<uint8_t>(text[pos]);
      if (next >= size || units[next].check != state) return;
      state = next;
      if (units[state].value != kNoValue) visit(pos + 1, units[state].value, units[state].score);
    }
  }

  // Returns the length of the longest piece that is a prefix of `text`, or 0.
  size_t LongestPrefix(std::string_view text) const {
    size_t longest = 0;
    ForEachPrefix(text, [&](size_t length, int32_t, float) { longest = length; });
    return longest;
  }

 private:
  // 16 bytes, so that a unit never straddles two cache lines.
  struct alignas(16) Unit {
    int32_t base = 0;             // children at base + byte
    uint32_t check = UINT32_MAX;  // the parent state; UINT32_MAX: a free slot
    int32_t value = kNoValue;     // the piece that ends here
    float score = 0;
  };

  std::vector<Unit> units_;  // units_[0] is the root
};

}  // namespace tunepack::tokenize::spm
