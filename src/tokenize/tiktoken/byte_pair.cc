#include "tokenize/tiktoken/byte_pair.h"

#include <functional>
#include <queue>

namespace tunepack::tokenize {
namespace {

constexpr uint32_t kNone = RankTable::kNoRank;
// Up to this length the quadratic scan wins: its state fits in a few cache lines.
constexpr size_t kSmallPiece = kQuadraticMergeMax;

// tiktoken's _byte_pair_merge: starts[i] is the start of part i; pair[i] the rank of
// parts i and i+1 together. Stops early when `stop_at` parts remain (ComputeTokenSplits).
void MergeSmall(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts,
                size_t stop_at = 1) {
  const size_t n = piece.size();
  uint32_t starts[kSmallPiece + 1];
  uint32_t pair[kSmallPiece + 1];
  // The rank of each part: a merged part's is the rank of the pair that made it (in
  // tiktoken a pair's rank is the rank of its bytes), so no part is looked up again at the end.
  uint32_t part_rank[kSmallPiece + 1];
  size_t count = n;  // number of parts
  for (size_t i = 0; i <= n; ++i) starts[i] = static_cast<uint32_t>(i);
  for (size_t i = 0; i < n; ++i) part_rank[i] = ranks.ByteRank(static_cast<uint8_t>(piece[i]));
  part_rank[n] = kNone;
  for (size_t i = 0; i + 1 < n; ++i) pair[i] = ranks.Find(piece.substr(i, 2));
  pair[n - 1] = kNone;
  auto pair_rank = [&](size_t i) {
    // Rank of parts i and i+1 merged, given the current starts.
    return i + 2 <= count ? ranks.Find(piece.substr(starts[i], starts[i + 2] - starts[i])) : kNone;
  };
  while (count > stop_at) {
    uint32_t best = kNone;
    size_t best_idx = 0;
    for (size_t i = 0; i + 1 < count; ++i) {
      if (pair[i] < best) {
        best = pair[i];
        best_idx = i;
      }
    }
    if (best == kNone) break;
    // The two pairs that will involve the merged part, [best_idx - 1, best_idx + 2) and
    // [best_idx, best_idx + 3) in parts before the removal: their probes are started
    // together, so that their cache misses overlap each other and the removal.
    if (best_idx + 3 <= count) ranks.Prefetch(piece.substr(starts[best_idx], starts[best_idx + 3] - starts[best_idx]));
    if (best_idx > 0) ranks.Prefetch(piece.substr(starts[best_idx - 1], starts[best_idx + 2] - starts[best_idx - 1]));
    // Remove part best_idx+1, then refresh the two pairs that now involve the merged part.
    for (size_t i = best_idx + 1; i < count; ++i) {
      starts[i] = starts[i + 1];
      pair[i] = pair[i + 1];
      part_rank[i] = part_rank[i + 1];
    }
    part_rank[best_idx] = best;
    --count;
    pair[best_idx] = pair_rank(best_idx);
    if (best_idx > 0) pair[best_idx - 1] = pair_rank(best_idx - 1);
  }
  for (size_t i = 0; i < count; ++i) parts->push_back({part_rank[i], starts[i + 1]});
}

// The heap version. Parts are named by their start offset; next[] and prev[] link them,
// pair[s] is the rank of part s merged with its successor. Heap entries pack (rank << 32 |
// start) so that the smallest entry is the lowest rank, leftmost on a tie: exactly the pair
// the quadratic scan would pick. Entries made stale by a merge are skipped when popped.
void MergeLarge(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts,
                size_t stop_at = 1) {
  const uint32_t n = static_cast<uint32_t>(piece.size());
  size_t count = n;  // number of parts
  constexpr uint32_t kDead = UINT32_MAX;
  std::vector<uint32_t> next(n), prev(n), pair(n), part_rank(n);  // part_rank as in MergeSmall
  for (uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1;
    prev[i] = i == 0 ? kDead - 1 : i - 1;  // kDead - 1: no predecessor
  }
  auto pair_rank = [&](uint32_t s) {
    const uint32_t mid = next[s];
    if (mid >= n) return kNone;
    return ranks.Find(piece.substr(s, next[mid] - s));
  };
  std::vector<uint64_t> heap_storage;
  heap_storage.reserve(n);
  for (uint32_t s = 0; s < n; ++s) {
    part_rank[s] = ranks.ByteRank(static_cast<uint8_t>(piece[s]));
    pair[s] = s + 1 < n ? ranks.Find(piece.substr(s, 2)) : kNone;
    if (pair[s] != kNone) heap_storage.push_back((uint64_t{pair[s]} << 32) | s);
  }
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<>> heap(
      std::greater<>(), std::move(heap_storage));
  while (!heap.empty() && count > stop_at) {
    const uint64_t top = heap.top();
    heap.pop();
    const uint32_t rank = static_cast<uint32_t>(top >> 32);
    const uint32_t s = static_cast<uint32_t>(top);
    if (prev[s] == kDead || pair[s] != rank) continue;  // stale
    const uint32_t mid = next[s];
    const uint32_t after = next[mid];
    part_rank[s] = rank;
    --count;
    next[s] = after;
    if (after < n) prev[after] = s;
    prev[mid] = kDead;
    // As in MergeSmall: both probes started before either is read.
    if (after < n) ranks.Prefetch(piece.substr(s, next[after] - s));
    if (prev[s] != kDead - 1) ranks.Prefetch(piece.substr(prev[s], after - prev[s]));
    pair[s] = pair_rank(s);
    if (pair[s] != kNone) heap.push((uint64_t{pair[s]} << 32) | s);
    if (prev[s] != kDead - 1) {
      const uint32_t p = prev[s];
      pair[p] = pair_rank(p);
      if (pair[p] != kNone) heap.push((uint64_t{pair[p]} << 32) | p);
    }
  }
  for (uint32_t s = 0; s < n; s = next[s]) parts->push_back({part_rank[s], next[s]});
}

}  // namespace

void BytePairMergeQuadratic(const RankTable& ranks, std::string_view piece,
                            std::vector<Part>* parts) {
  MergeSmall(ranks, piece, parts);
}

void BytePairMergeHeap(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts) {
  MergeLarge(ranks, piece, parts);
}

void BytePairMerge(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts) {
  if (piece.size() <= kSmallPiece) {
    MergeSmall(ranks, piece, parts);
  } else {
    MergeLarge(ranks, piece, parts);
  }
}

std::vector<TokenSplit> ComputeTokenSplits(const RankTable& ranks) {
  std::vector<TokenSplit> splits(ranks.size(), TokenSplit{RankTable::kNoRank, RankTable::kNoRank});
  std::vector<Part> parts;
  for (uint32_t rank = 0; rank < ranks.size(); ++rank) {
    const std::string_view token = ranks.Token(rank);
    if (token.size() == 1) splits[rank] = {rank, rank};
    if (token.size() < 2) continue;
    // The state just before BPE's last merge of the token's own bytes: two parts when that
    // merge makes the token, more when BPE stops short of it.
    parts.clear();
    if (token.size() <= kSmallPiece) {
      MergeSmall(ranks, token, &parts, 2);
    } else {
      MergeLarge(ranks, token, &parts, 2);
    }
    if (parts.size() != 2) continue;
    // Every part must be older than the token it makes: BacktrackEncoder undoes merges
    // newest first, by rank.
    if (parts[0].rank >= rank || parts[1].rank >= rank) return {};
    splits[rank] = {parts[0].rank, parts[1].rank};
  }
  return splits;
}

}  // namespace tunepack::tokenize
