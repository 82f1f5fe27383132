#include "tokenize/tiktoken/backtrack_encoder.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace tunepack::tokenize {
namespace {

constexpr uint32_t kNone = RankTable::kNoRank;
constexpr uint32_t kShort = 8;  // tokens up to this long need no LongPrefix
constexpr uint32_t kWorkPerByte = 16;  // Encode's budget

uint64_t Load8(const char* data) {
  uint64_t key;
  std::memcpy(&key, data, 8);
  return key;
}

}  // namespace

Result<BacktrackEncoder> BacktrackEncoder::Build(const RankTable& ranks, std::vector<TokenSplit> splits) {
  if (splits.size() != ranks.size()) return InvalidArgumentError("token splits do not match the ranks");
  BacktrackEncoder encoder(ranks);
  uint32_t max_length = 1;
  std::vector<uint64_t> long_keys;
  for (uint32_t rank = 0; rank < ranks.size(); ++rank) {
    const TokenSplit split = splits[rank];
    const std::string_view token = ranks.Token(rank);
    if (split.left == kNone && split.right == kNone) continue;  // never made by BPE
    const bool single = token.size() == 1 && split.left == rank && split.right == rank;
    // StayApart reads the parts' bytes where the token's are, and undoes merges by rank.
    const bool merged = token.size() > 1 && split.left < rank && split.right < rank &&
                        splits[split.left].left != kNone && splits[split.right].left != kNone &&
                        token.starts_with(ranks.Token(split.left)) &&
                        token.substr(ranks.Token(split.left).size()) == ranks.Token(split.right);
    if (!single && !merged) {
      return InvalidArgumentError("token split of rank " + std::to_string(rank) + " does not fit the ranks");
    }
    max_length = std::max(max_length, static_cast<uint32_t>(token.size()));
    if (token.size() > kShort) long_keys.push_back(Load8(token.data()));
  }
  // Sized by the distinct prefixes (28,000 for o200k_base's 52,000 long tokens), 2/3 full
  // at most: the table is part of the embedded blob.
  std::sort(long_keys.begin(), long_keys.end());
  const size_t distinct = std::unique(long_keys.begin(), long_keys.end()) - long_keys.begin();
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(16, distinct * 3 / 2));
  std::vector<LongPrefix>& long_prefixes = encoder.owned_long_prefixes_;
  long_prefixes.assign(capacity, LongPrefix{0, {0, 0}});
  for (uint32_t rank = 0; rank < ranks.size(); ++rank) {
    const std::string_view token = ranks.Token(rank);
    if (token.size() <= kShort || splits[rank].left == kNone) continue;
    const uint64_t key = Load8(token.data());
    uint64_t slot = Slot(key, capacity - 1);
    for (;; slot = (slot + 1) & (capacity - 1)) {
      LongPrefix& entry = long_prefixes[slot];
      if ((entry.lengths[0] | entry.lengths[1]) == 0) entry.key = key;
      if (entry.key == key) break;
    }
    const size_t bit = LengthBit(static_cast<uint32_t>(token.size()));
    long_prefixes[slot].lengths[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  encoder.owned_splits_ = std::move(splits);
  encoder.tables_ = {encoder.owned_splits_, long_prefixes, max_length};
  encoder.long_mask_ = capacity - 1;
  return encoder;
}

Result<BacktrackEncoder> BacktrackEncoder::Over(const RankTable& ranks, BacktrackTables tables) {
  if (tables.splits.size() != ranks.size() || !std::has_single_bit(tables.long_prefixes.size()) ||
      tables.max_length == 0) {
    return InvalidArgumentError("backtracking tables do not match the ranks");
  }
  BacktrackEncoder encoder(ranks);
  encoder.tables_ = tables;
  encoder.long_mask_ = tables.long_prefixes.size() - 1;
  return encoder;
}

const uint64_t* BacktrackEncoder::LongLengths(std::string_view piece, uint32_t at) const {
  const uint64_t key = Load8(piece.data() + at);
  for (uint64_t slot = Slot(key, long_mask_);; slot = (slot + 1) & long_mask_) {
    const LongPrefix& entry = tables_.long_prefixes[slot];
    if ((entry.lengths[0] | entry.lengths[1]) == 0) return nullptr;
    if (entry.key == key) return entry.lengths;
  }
}

uint32_t BacktrackEncoder::Candidate(std::string_view piece, uint32_t at, uint32_t length,
                                     const uint64_t* long_lengths) const {
  if (length > kShort) {
    const uint32_t bit = LengthBit(length);
    if (long_lengths == nullptr || (long_lengths[bit / 64] >> (bit % 64) & 1) == 0) return kNone;
  }
  const uint32_t rank = ranks_->Find(piece.substr(at, length));
  return rank != kNone && tables_.splits[rank].left != kNone ? rank : kNone;
}

// The two sides' merges are undone newest (highest rank) first. Before the merge that made
// `left`'s current part (its rank, `limit`), the parts meeting at the boundary existed side
// by side; had their bytes formed a token of lower rank, BPE would have merged them first
// (on equal ranks the leftmost pair goes first: a merge on the right side made at the same
// rank comes after the pair across the boundary, hence limit = right + 1 there).
bool BacktrackEncoder::StayApart(std::string_view piece, uint32_t at, uint32_t left,
                                 uint32_t right, size_t* work) const {
  uint32_t limit = kNone;
  uint32_t left_length = Length(left);
  uint32_t right_length = Length(right);
  while (true) {
    ++*work;
    if (left_length + right_length <= tables_.max_length &&
        ranks_->Find(piece.substr(at - left_length, left_length + right_length)) < limit) {
      return false;
    }
    // A part is undone only into parts of lower rank, which also bounds the walk.
    const TokenSplit left_split = tables_.splits[left];
    const TokenSplit right_split = tables_.splits[right];
    const bool left_merged = left_split.right < left;
    const bool right_merged = right_split.left < right;
    if (left_merged && (!right_merged || left > right)) {
      limit = left;
      left = left_split.right;
      left_length = Length(left);
    } else if (right_merged) {
      limit = right + 1;
      right = right_split.left;
      right_length = Length(right);
    } else {
      return true;
    }
  }
}

void BacktrackEncoder::Encode(std::string_view piece, std::vector<Part>* parts) const {
  const uint32_t n = static_cast<uint32_t>(piece.size());
  // dead: bit p set when no BPE sequence of the rest of the piece starts at p after the
  // tokens that led there, so that backtracking does not try it again.
  thread_local std::vector<uint64_t> dead;
  dead.assign(n / 64 + 1, 0);
  const size_t first = parts->size();
  uint32_t pos = 0;
  uint32_t below = kNone;  // the candidates at pos are shorter than this
  // Candidates tried and steps of StayApart: 1-4 a byte in the benchmark corpus's pieces of
  // over 40 bytes, never 9; runs of '-' under o200k_base take over 100 a byte (0.9 s for
  // a MB). Past the budget the merge loop takes over, so no piece costs much more than
  // merging it would.
  const size_t budget = size_t{kWorkPerByte} * n + 64;
  size_t work = 0;
  while (pos < n) {
    if (work > budget) {
      parts->resize(first);
      BytePairMerge(*ranks_, piece, parts);
      return;
    }
    const uint32_t prev = parts->size() > first ? parts->back().rank : kNone;
    const uint32_t longest = std::min({n - pos, tables_.max_length, below - 1});
    const uint64_t* long_lengths = longest > kShort ? LongLengths(piece, pos) : nullptr;
    bool placed = false;
    for (uint32_t length = long_lengths != nullptr ? longest : std::min(longest, kShort); length >= 1; --length) {
      const uint32_t end = pos + length;
      if (dead[end / 64] >> (end % 64) & 1) continue;
      ++work;
      const uint32_t rank = Candidate(piece, pos, length, long_lengths);
      if (rank == kNone || (prev != kNone && !StayApart(piece, pos, prev, rank, &work))) continue;
      parts->push_back({rank, end});
      pos = end;
      below = kNone;
      placed = true;
      break;
    }
    if (placed) continue;
    dead[pos / 64] |= uint64_t{1} << (pos % 64);
    // BPE's own sequence always satisfies the search, so this is never reached; should
    // the splits ever disagree with the ranks, the merge loop still gives the right tokens.
    if (parts->size() == first) {
      BytePairMerge(*ranks_, piece, parts);
      return;
    }
    const Part last = parts->back();
    parts->pop_back();
    pos = parts->size() > first ? parts->back().end : 0;
    below = last.end - pos;
  }
}

}  // namespace tunepack::tokenize
