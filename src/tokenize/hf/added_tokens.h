// AddedTokenMatcher: finds the `added_tokens` of a tokenizer.json in text, as Hugging Face's
// AddedVocabulary does: leftmost-longest matches (its Aho-Corasick automaton), with
// single_word (only between non-word characters), lstrip/rstrip (the match takes in the
// white space before/after it) and, when special tokens are not allowed, special matches
// left as text (Hugging Face's encode_special_tokens).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tunepack::tokenize::hf {

struct AddedToken {
  std::string content;
  uint32_t id = 0;
  bool special = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
  bool single_word = false;
};

// Segment: text[begin, end) that is either ordinary text (id == kText) or the added token id.
struct Segment {
  static constexpr uint32_t kText = UINT32_MAX;
  uint32_t begin;
  uint32_t end;
  uint32_t id;
};

class AddedTokenMatcher {
 public:
  // Builds a matcher over `tokens` (empty contents are ignored).
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);
  AddedTokenMatcher() = default;

  bool empty() const { return tokens_.empty(); }

  // Appends the segments of text[begin, end) to `out`, in order, covering it.
  void Split(std::string_view text, uint32_t begin, uint32_t end, bool allow_special,
             std::vector<Segment>* out) const;

 private:
  // Returns the index of the longest token starting at text[pos] (before `end`), or -1.
  int LongestAt(std::string_view text, uint32_t pos, uint32_t end) const;

  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> children;  // sorted by byte
    int token = -1;
  };
  std::vector<AddedToken> tokens_;
  std::vector<Node> nodes_;
  bool first_byte_[256] = {};
};

}  // namespace tunepack::tokenize::hf
