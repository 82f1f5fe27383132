// Byte-pair merging of one pre-tokenized piece, with tiktoken's rule: repeatedly merge the
// adjacent pair whose concatenation has the lowest rank, the leftmost such pair on a tie,
// until no adjacent pair is in the vocabulary.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize {

// Part: one token of a merged piece, its rank and end offset within the piece.
struct Part {
  uint32_t rank;
  uint32_t end;
};

// Appends the tokens of `piece` (non-empty) to `parts`. Short pieces use tiktoken's own
// quadratic scan, which is fastest for them; long pieces use a heap ordered by (rank,
// position), which picks the same pair at every step in O(n log n), so a 1 MB run of one
// character does not take minutes as it does in tiktoken.
void BytePairMerge(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts);

// The two strategies BytePairMerge picks between, exposed for tests and benchmarks.
// BytePairMergeQuadratic needs piece.size() <= kQuadraticMergeMax.
inline constexpr size_t kQuadraticMergeMax = 128;
void BytePairMergeQuadratic(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts);
void BytePairMergeHeap(const RankTable& ranks, std::string_view piece, std::vector<Part>* parts);

// TokenSplit: how BPE makes a token from its own bytes. A single byte is {rank, rank}; a
// longer token the two tokens whose merge BPE makes last; {kNoRank, kNoRank} a token that
// BPE never makes from its bytes (nor an unused rank), which therefore never appears in a
// merged piece.
struct TokenSplit {
  uint32_t left;
  uint32_t right;
};

// Returns the split of every rank, found by running the merge above on each token's bytes;
// empty when some token is made from a part of higher rank than its own (no real encoding
// does that), which BacktrackEncoder cannot handle. Takes about a second for o200k_base:
// the build stores the result in the embedded blobs.
std::vector<TokenSplit> ComputeTokenSplits(const RankTable& ranks);

}  // namespace tunepack::tokenize
