#include "tokenize/spm/piece_trie.h"

#include <algorithm>
#include <map>

namespace tunepack::tokenize::spm {

PieceTrie PieceTrie::Build(const std::vector<std::pair<std::string_view, int32_t>>& entries) {
  // Built as a map-based tree first, then laid out breadth-first into flat arrays so that a
  // node's edges are contiguous and sorted by label.
  struct BuildNode {
    std::map<uint8_t, uint32_t> children;
    int32_t value = kNoValue;
  };
  std::vector<BuildNode> tree(1);  // tree[0]: the root
  for (const auto& [piece, value] : entries) {
    if (piece.empty()) continue;
    uint32_t node = 0;
    for (const char c : piece) {
      const auto label = static_cast<uint8_t>(c);
      auto found = tree[node].children.find(label);
      if (found == tree[node].children.end()) {
        const auto child = static_cast<uint32_t>(tree.size());
        tree[node].children.emplace(label, child);
        tree.emplace_back();
        node = child;
      } else {
        node = found->second;
      }
    }
    tree[node].value = value;
  }
  PieceTrie trie;
  // new_index[tree node] = its index in nodes_; nodes_[0] is the "no node" placeholder.
  std::vector<uint32_t> new_index(tree.size(), 0);
  std::vector<uint32_t> order;
  order.reserve(tree.size());
  trie.nodes_.emplace_back();
  for (const auto& [label, child] : tree[0].children) {
    new_index[child] = static_cast<uint32_t>(trie.nodes_.size());
    trie.nodes_.emplace_back();
    order.push_back(child);
    trie.root_children_[label] = new_index[child];
  }
  for (size_t next = 0; next < order.size(); ++next) {
    const uint32_t old = order[next];
    // Filled before the loop below grows nodes_ (which would move a reference into it).
    trie.nodes_[new_index[old]] = {static_cast<uint32_t>(trie.edges_.size()),
                                   static_cast<uint32_t>(tree[old].children.size()),
                                   tree[old].value};
    for (const auto& [label, child] : tree[old].children) {
      new_index[child] = static_cast<uint32_t>(trie.nodes_.size());
      trie.nodes_.emplace_back();
      order.push_back(child);
      trie.edges_.push_back({label, new_index[child]});
    }
  }
  return trie;
}

}  // namespace tunepack::tokenize::spm
