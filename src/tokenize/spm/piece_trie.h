// PieceTrie: a byte trie over a model's pieces, walked from one position of the text to
// find every piece that starts there (Viterbi in the unigram model, the longest user-defined
// symbol in the normaliser and the BPE's first split). The root's children are a direct
// table, as every walk starts there; the nodes below have few children each, found by a
// short scan.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::tokenize::spm {

class PieceTrie {
 public:
  static constexpr int32_t kNoValue = -1;

  // Builds the trie of `entries` (piece bytes, value >= 0). Empty pieces are skipped; of
  // two equal pieces the later value is kept.
  static PieceTrie Build(const std::vector<std::pair<std::string_view, int32_t>>& entries);

  bool empty() const { return nodes_.size() <= 1; }

  // Calls `visit(length, value)` for each piece that is a prefix of `text`, shortest first.
  template <typename Visit>
  void ForEachPrefix(std::string_view text, Visit&& visit) const {
    if (text.empty()) return;
    uint32_t node = root_children_[static_cast<uint8_t>(text[0])];
    for (size_t pos = 1;; ++pos) {
      if (node == 0) return;
      const Node& n = nodes_[node];
      if (n.value != kNoValue) visit(pos, n.value);
      if (pos == text.size()) return;
      node = Child(n, static_cast<uint8_t>(text[pos]));
    }
  }

  // Returns the length of the longest piece that is a prefix of `text`, or 0.
  size_t LongestPrefix(std::string_view text) const {
    size_t longest = 0;
    ForEachPrefix(text, [&](size_t length, int32_t) { longest = length; });
    return longest;
  }

 private:
  struct Node {
    uint32_t first_edge = 0;
    uint32_t edge_count = 0;
    int32_t value = kNoValue;
  };
  struct Edge {
    uint8_t label;
    uint32_t child;
  };

  uint32_t Child(const Node& n, uint8_t label) const {
    const Edge* edge = edges_.data() + n.first_edge;
    const Edge* end = edge + n.edge_count;
    for (; edge != end; ++edge) {
      if (edge->label == label) return edge->child;
      if (edge->label > label) return 0;
    }
    return 0;
  }

  // Node 0 stands for "no node"; the root itself is only its table of children.
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::array<uint32_t, 256> root_children_{};
};

}  // namespace tunepack::tokenize::spm
