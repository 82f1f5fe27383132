// Sequence packing: groups tokenized examples into sequences of at most `capacity` tokens
// by first-fit-decreasing bin packing, and lays each sequence out the way padding-free
// trainers read it (token ids, position ids restarting at 0 per example, labels masked
// outside the trained tokens, example lengths).
//
// It lives beside the chunker because both shape token sequences; it depends on nothing
// but the token ids the tokenize module produces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::chunk {

// PackBin: the examples (indices into the input) of one sequence, in packing order.
struct PackBin {
  std::vector<uint32_t> items;
  size_t used = 0;  ///< tokens in the bin
};

// Returns bins of at most `capacity` tokens holding every item of `lengths`, by
// first-fit-decreasing: longest first, each into the first (lowest-numbered) bin with room.
// Ties keep input order, so the result is deterministic. Items longer than `capacity` are
// not packed; their indices go to `overlong` (the caller drops, splits or truncates them
// according to --on-overlong, and says so in the ledger). O(n log n).
std::vector<PackBin> PackFirstFitDecreasing(std::span<const size_t> lengths, size_t capacity,
                                            std::vector<uint32_t>* overlong);

// Returns used tokens / (bins x capacity), the figure trainers report (axolotl's ~99.5%).
double PackingEfficiency(const std::vector<PackBin>& bins, size_t capacity);

// PackedSequence: one row of a packed dataset.
struct PackedSequence {
  std::vector<tokenize::TokenId> input_ids;
  std::vector<uint32_t> position_ids;  ///< 0, 1, ... restarting at each example
  std::vector<int64_t> labels;         ///< the token id where trained, -100 elsewhere
  std::vector<uint32_t> lengths;       ///< tokens per example, in order (cu_seqlens deltas)
};

// TokenizedExample: what the packer needs of one example.
struct TokenizedExample {
  std::vector<tokenize::TokenId> ids;
  // Per token: 1 when the model is trained on it (assistant turns), 0 otherwise. Empty
  // means every token is trained (continued pretraining).
  std::vector<uint8_t> trained;
};

// Lays out `bin` of `examples`. The first token of each example is never a label: with
// position ids and flash-attention varlen, the model would otherwise learn to predict one
// example's first token from the end of another (the rule HF's DataCollatorWithFlattening
// applies). Returns InvalidArgument when a mask's length differs from its ids'.
Result<PackedSequence> LayOutBin(const PackBin& bin, std::span<const TokenizedExample> examples);

}  // namespace tunepack::chunk
