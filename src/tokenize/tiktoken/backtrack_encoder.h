// BacktrackEncoder: the tokens tiktoken's merge loop gives a piece, found without merging.
// BPE's result for a piece is the one sequence of tokens that (1) BPE makes from their own
// bytes and (2) BPE keeps apart pairwise: merging the bytes of any two neighbours gives the
// two back. The encoder walks the piece left to right taking the longest token that
// satisfies both with the token before it, and when no token fits, steps back one token and
// tries a shorter one there; positions found to lead nowhere are marked and not tried again.
// Whether two neighbours stay apart is decided from each token's split (the two tokens BPE
// merges last to make it; TokenSplit, byte_pair.h): undo the merges of the pair's two sides
// newest first and check, at each step, that the two parts meeting at the boundary do not
// form a token that BPE would have merged earlier. This is the approach of GitHub's `bpe`
// crate (rust-gems), written here for tiktoken's rule that any two neighbours whose bytes
// form a token merge.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tokenize/tiktoken/byte_pair.h"
#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize {

// LongPrefix: the first 8 bytes of tokens longer than 8 that BPE makes, and the lengths of
// those tokens (BacktrackEncoder::LengthBit). Empty slots have no length.
struct LongPrefix {
  uint64_t key;
  uint64_t lengths[2];
};

// BacktrackTables: what the encoder reads besides the ranks. BacktrackEncoder::Build makes
// them (about 80 ms for o200k_base, most of it ComputeTokenSplits); the build stores them in
// the embedded blobs so that loading an encoding does not.
struct BacktrackTables {
  std::span<const TokenSplit> splits;        ///< by rank
  std::span<const LongPrefix> long_prefixes;  ///< open addressing, a power of two in size
  uint32_t max_length = 0;                   ///< of any token
};

class BacktrackEncoder {
 public:
  // Returns an encoder over `ranks` (which must outlive it) and their `splits`
  // (ComputeTokenSplits), or InvalidArgument when the splits do not fit the ranks (one per
  // rank, parts of lower rank that BPE makes, whose bytes make the token).
  static Result<BacktrackEncoder> Build(const RankTable& ranks, std::vector<TokenSplit> splits);
  // Returns an encoder over tables that Build made (both must outlive it), checking their
  // sizes only: the build checked their content when it stored them.
  static Result<BacktrackEncoder> Over(const RankTable& ranks, BacktrackTables tables);

  BacktrackEncoder(BacktrackEncoder&&) = default;
  BacktrackEncoder& operator=(BacktrackEncoder&&) = default;

  // Returns the tables, for storing (they live as long as the encoder).
  const BacktrackTables& tables() const { return tables_; }

  // Appends the tokens of `piece` (non-empty, at most UINT32_MAX bytes), exactly as
  // BytePairMerge would (by calling it when the search takes much longer than usual).
  void Encode(std::string_view piece, std::vector<Part>* parts) const;

  // Bit i of LongPrefix::lengths stands for length 9 + i; the last for every length from
  // 136 up (a handful of tokens in claude-legacy, up to 1024 bytes, are probed one by one).
  static uint32_t LengthBit(uint32_t length) { return std::min<uint32_t>(length - 9, 127); }

 private:
  explicit BacktrackEncoder(const RankTable& ranks) : ranks_(&ranks) {}

  // Returns the rank of piece[at, at + length) when it is a token BPE makes from its bytes,
  // else kNoRank. `long_lengths` is LongLengths(piece, at) when length > 8.
  uint32_t Candidate(std::string_view piece, uint32_t at, uint32_t length, const uint64_t* long_lengths) const;
  // Returns the lengths (LengthBit) of the tokens of more than 8 bytes that BPE makes and
  // that start with the 8 bytes at piece[at]; nullptr when there are none.
  const uint64_t* LongLengths(std::string_view piece, uint32_t at) const;
  // Returns whether BPE keeps `left`, whose bytes end at piece[at], and `right`, whose bytes
  // start there, apart; adds the steps it took to `work`.
  bool StayApart(std::string_view piece, uint32_t at, uint32_t left, uint32_t right, size_t* work) const;
  uint32_t Length(uint32_t rank) const { return static_cast<uint32_t>(ranks_->Token(rank).size()); }
  static uint64_t Slot(uint64_t key, uint64_t mask) { return (key * 0x9E3779B97F4A7C15ull >> 20) & mask; }

  const RankTable* ranks_;
  BacktrackTables tables_;
  uint64_t long_mask_ = 0;
  std::vector<TokenSplit> owned_splits_;  ///< what Build made; Over points elsewhere
  std::vector<LongPrefix> owned_long_prefixes_;
};

}  // namespace tunepack::tokenize
