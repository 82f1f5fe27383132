// RankTable: the vocabulary of a byte-level BPE, token bytes <-> rank (the token id), with
// an open-addressing hash index for the lookups that dominate encoding.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::tokenize {

class RankTable {
 public:
  static constexpr uint32_t kNoRank = UINT32_MAX;

  // Builds a table from `tokens`, where tokens[rank] holds the bytes of that rank; an
  // empty string marks an unused rank. Returns InvalidArgument when two ranks share bytes.
  static Result<RankTable> Build(std::vector<std::string> tokens);

  // Builds a table over data that outlives it (the blob embedded in the binary):
  // `offsets` has one entry per rank plus one, token r is bytes[offsets[r], offsets[r+1]).
  static Result<RankTable> BuildOver(std::span<const uint32_t> offsets, std::string_view bytes);

  RankTable(RankTable&&) = default;
  RankTable& operator=(RankTable&&) = default;

  // Returns the rank of the token whose bytes are `bytes`, or kNoRank.
  uint32_t Find(std::string_view bytes) const;

  // Returns the bytes of `rank` (empty for an unused rank); `rank` < size().
  std::string_view Token(uint32_t rank) const {
    return bytes_.substr(offsets_[rank], offsets_[rank + 1] - offsets_[rank]);
  }

  // Returns the rank of the one-byte token `byte` (every byte-level vocabulary has all 256).
  uint32_t ByteRank(uint8_t byte) const { return byte_ranks_[byte]; }

  // Returns one more than the highest rank.
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size() - 1); }

 private:
  RankTable() = default;
  Status Index();

  std::vector<uint32_t> owned_offsets_;
  std::vector<char> owned_bytes_;
  std::span<const uint32_t> offsets_;
  std::string_view bytes_;
  // Slot: high 32 bits a hash tag, low 32 bits rank + 1 (0 = empty).
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
  std::array<uint32_t, 256> byte_ranks_{};
};

}  // namespace tunepack::tokenize
