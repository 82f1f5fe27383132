#include "tokenize/hf/added_tokens.h"

#include <algorithm>

#include "tokenize/hf/pre_tokenizer.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

bool IsWhiteSpace(char32_t cp) { return ClassOf(cp) & kClassSpace; }

// Hugging Face's single_word check matches \w against the neighbouring characters.
bool IsWordChar(char32_t cp) { return IsHfWordChar(cp); }

// Returns the character that ends text[.., pos).
char32_t CharBefore(std::string_view text, uint32_t pos, uint32_t* start) {
  uint32_t s = pos - 1;
  while (s > 0 && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80) --s;
  *start = s;
  return DecodeAt(text, s).value;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) {
  nodes_.emplace_back();
  for (AddedToken& token : tokens) {
    if (token.content.empty()) continue;
    const int index = static_cast<int>(tokens_.size());
    uint32_t node = 0;
    for (const char c : token.content) {
      const uint8_t byte = static_cast<uint8_t>(c);
      auto& children = nodes_[node].children;
      auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, uint32_t{0}));
      if (it != children.end() && it->first == byte) {
        node = it->second;
      } else {
        const uint32_t child = static_cast<uint32_t>(nodes_.size());
        children.insert(it, {byte, child});
        nodes_.emplace_back();
        node = child;
      }
    }
    // The same content twice: the later entry wins, as when Hugging Face re-adds a token.
    nodes_[node].token = index;
    first_byte_[static_cast<uint8_t>(token.content[0])] = true;
    tokens_.push_back(std::move(token));
  }
}

int AddedTokenMatcher::LongestAt(std::string_view text, uint32_t pos, uint32_t end) const {
  int best = -1;
  uint32_t node = 0;
  for (uint32_t i = pos; i < end; ++i) {
    const auto& children = nodes_[node].children;
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    auto it = std::lower_bound(children.begin(), children.end(), std::make_pair(byte, uint32_t{0}));
    if (it == children.end() || it->first != byte) break;
    node = it->second;
    if (nodes_[node].token >= 0) best = nodes_[node].token;
  }
  return best;
}

void AddedTokenMatcher::Split(std::string_view text, uint32_t begin, uint32_t end, bool allow_special,
                              std::vector<Segment>* out) const {
  uint32_t done = begin;  // text before this is in `out`
  uint32_t pos = begin;
  while (pos < end) {
    if (!first_byte_[static_cast<uint8_t>(text[pos])]) {
      ++pos;
      continue;
    }
    const int index = LongestAt(text, pos, end);
    if (index < 0) {
      ++pos;
      continue;
    }
    const AddedToken& token = tokens_[index];
    uint32_t start = pos;
    uint32_t stop = pos + static_cast<uint32_t>(token.content.size());
    // The next match is searched from the end of this one whatever is done with it (a
    // rejected match stays text; the white space rstrip takes in is still searched), as in
    // Hugging Face, which first finds all matches and then applies the flags.
    pos = stop;
    if (token.special && !allow_special) continue;
    if (token.single_word) {
      uint32_t unused;
      const bool word_before = start > begin && IsWordChar(CharBefore(text, start, &unused));
      const bool word_after = stop < end && IsWordChar(DecodeAt(text, stop).value);
      if (word_before || word_after) continue;
    }
    if (token.lstrip) {
      // Takes in the white space before, but not what an earlier match already took.
      while (start > done) {
        uint32_t char_start;
        if (!IsWhiteSpace(CharBefore(text, start, &char_start))) break;
        start = char_start;
      }
      start = std::max(start, done);
    }
    if (token.rstrip) {
      while (stop < end) {
        const CodePoint cp = DecodeAt(text, stop);
        if (!IsWhiteSpace(cp.value)) break;
        stop += cp.length;
      }
    }
    // A match inside white space an earlier rstrip took keeps its own span, overlapping,
    // and the text restarts after it: Hugging Face's find_matches does the same.
    if (start > done) out->push_back({done, start, Segment::kText});
    out->push_back({start, stop, token.id});
    done = stop;
  }
  if (end > done) out->push_back({done, end, Segment::kText});
}

}  // namespace tunepack::tokenize::hf
