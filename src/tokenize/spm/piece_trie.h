// PieceTrie: a byte trie over a model's pieces, walked from one position of the text to
// find every piece that starts there (Viterbi in the unigram model, the longest user-defined
// symbol in the normaliser and the BPE's first split). It is a double array, as
// darts-clone's: the child of state s on byte c is state base[s] + c, which is s's child
// when that unit is taken and its label is c (no two states share a base, so the label
// names the parent too). A step is two reads with no search, whatever the number of
// children (the state after "▁" has thousands), and a unit is 8 bytes, so the 220,000
// states of a 50,000-piece vocabulary take 1.7 MB, within a core's L2.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tunepack::tokenize::spm {

class PieceTrie {
 public:
  static constexpr int32_t kNoValue = -1;
  // Values are kept in 23 bits.
  static constexpr int32_t kMaxValue = (1 << 23) - 2;

  struct Entry {
    std::string_view piece;
    int32_t value;  // 0..kMaxValue
  };

  // Builds the trie of `entries`. Empty pieces are skipped; of two equal pieces the later
  // entry is kept. When `first_repeat` is not null it receives the value of the first
  // entry whose piece equals an earlier entry's, or kNoValue: the sort the build needs
  // anyway finds them, so a caller that refuses repeated pieces needs no index of its own.
  static PieceTrie Build(std::vector<Entry> entries, int32_t* first_repeat = nullptr);

  bool empty() const { return units_[0].base == 0; }  // a root with children has a base

  // Returns whether some piece starts with `byte`.
  bool HasPieceStartingWith(uint8_t byte) const { return Child(0, byte) != 0; }

  // Calls `visit(length, value)` for each piece that is a prefix of `text`, shortest first.
  template <typename Visit>
  void ForEachPrefix(std::string_view text, Visit&& visit) const {
    uint32_t state = 0;
    for (size_t pos = 0; pos < text.size(); ++pos) {
      state = Child(state, static_cast<uint8_t>(text[pos]));
      if (state == 0) return;
      const uint32_t value_plus_one = units_[state].word >> 9;
      if (value_plus_one != 0) visit(pos + 1, static_cast<int32_t>(value_plus_one - 1));
    }
  }

  // Returns the length of the longest piece that is a prefix of `text`, or 0.
  size_t LongestPrefix(std::string_view text) const {
    size_t longest = 0;
    ForEachPrefix(text, [&](size_t length, int32_t) { longest = length; });
    return longest;
  }

 private:
  struct Unit {
    uint32_t base = 0;  // children at base + byte (0: none)
    // Bits 0-7 the label of the edge into this state, bit 8 "taken", bits 9-31 the value
    // of the piece that ends here plus one (0: none).
    uint32_t word = 0;
  };

  // Returns the child of `state` on `label`, or 0 (the root is no one's child).
  uint32_t Child(uint32_t state, uint8_t label) const {
    // In bounds for any state: the array ends 256 units past the largest base.
    const uint32_t next = units_[state].base + label;
    if ((units_[next].word & 0x1FFu) != (0x100u | label)) return 0;
    return next;
  }

  std::vector<Unit> units_ = std::vector<Unit>(1 + 256);  // units_[0] is the root
};

}  // namespace tunepack::tokenize::spm
