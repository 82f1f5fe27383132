// RankTable: the vocabulary of a byte-level BPE, token bytes <-> rank (the token id), with
// open-addressing hash indexes for the lookups that dominate encoding. Tokens of up to 8
// bytes (most of a vocabulary, and every pair a merge looks up at first) have their own
// index whose slots hold the bytes themselves: a lookup is one probe into one cache line,
// with no hash function over the bytes and no second read of the token to compare it; the
// two-byte ones a direct table; and tokens of 9 to 16 bytes an index of the same kind.
#pragma once

#include <array>
#include <cstring>
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

  // Appends this table's hash indexes to `out` (whose size must be a multiple of 8), in the
  // form BuildOverIndex points at: the build stores them in the embedded blob, so that a
  // start does not hash 200,000 tokens again (most of what loading o200k_base cost).
  void AppendIndex(std::string& out) const;

  // As BuildOver, with the indexes AppendIndex wrote for these tokens, read in place from
  // `index` (8-aligned, outliving the table). Their sizes are checked, not their contents:
  // the blobs are the build's, checked by tunepack_pack_tiktoken when it wrote them.
  static Result<RankTable> BuildOverIndex(std::span<const uint32_t> offsets, std::string_view bytes,
                                          std::string_view index);

  // Builds a table that answers Token, ByteRank and size, while Find answers kNoRank for
  // every token: for a model that keeps its own index of the bytes (hf::VocabIndex), so that
  // loading a 262,000-token vocabulary does not hash every token twice. `offsets` has one
  // entry per rank plus one, as in BuildOver; duplicates are the caller's to detect.
  static Result<RankTable> BuildById(std::vector<uint32_t> offsets, std::vector<char> bytes);

  RankTable(RankTable&&) = default;
  RankTable& operator=(RankTable&&) = default;

  // Returns the rank of the token whose bytes are `bytes`, or kNoRank.
  uint32_t Find(std::string_view bytes) const {
    if (bytes.size() == 2) {
      return pair_ranks_[static_cast<uint8_t>(bytes[0]) | (static_cast<uint8_t>(bytes[1]) << 8)];
    }
    if (bytes.size() - 1 < kShortMax) return FindShort(bytes);
    if (bytes.size() - 1 < kMediumMax) return FindMedium(bytes);
    return FindLong(bytes);
  }

  // Starts loading the slot Find(bytes) reads first, for a token of 3 to 8 bytes (a
  // direct read for 2, a hash over the bytes beyond 8): a merge looks up the two pairs
  // around the part it made together, and their cache misses then overlap.
  void Prefetch(std::string_view bytes) const {
    if (bytes.size() > 2 && bytes.size() <= kShortMax) {
      const uint64_t slot = (ShortProduct(PackShort(bytes.data(), bytes.size()), bytes.size()) >> 21) & short_mask_;
      __builtin_prefetch(&short_tags_[slot]);
      __builtin_prefetch(&short_slots_[slot]);
    }
  }

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
  void IndexBytesOnly();
  // Sizes the owned indexes and points the views (and masks) at them.
  void AllocateIndex(uint64_t long_capacity, uint64_t short_capacity, uint64_t medium_capacity);

  static constexpr size_t kShortMax = 8;
  // ShortSlot: a token of 1..8 bytes, packed little-endian into `key` (zero above its
  // length), and its rank + 1 (0 = empty slot).
  struct ShortSlot {
    uint64_t key;
    uint32_t rank_plus_one;
    uint32_t length;
  };
  // Returns bytes (1..8 of them) packed as ShortSlot::key, reading only the bytes given.
  static uint64_t PackShort(const char* data, size_t size) {
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    if (size >= 4) {
      uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + size - 4, 4);
      // The two loads overlap when size < 8; the overlapping bytes are equal, so OR is exact.
      return uint64_t{low} | (uint64_t{high} << (8 * (size - 4)));
    }
    return uint64_t{p[0]} | (uint64_t{p[size / 2]} << (8 * (size / 2))) |
           (uint64_t{p[size - 1]} << (8 * (size - 1)));
  }
  // The product whose bits 21 and up pick a short token's slot and whose top eight bits
  // give its tag (never 0, which marks an empty slot).
  static uint64_t ShortProduct(uint64_t key, size_t size) {
    return (key ^ (uint64_t{size} << 58)) * 0x9E3779B97F4A7C15ull;
  }
  static uint8_t ShortTag(uint64_t product) {
    const uint8_t top = static_cast<uint8_t>(product >> 56);
    return top == 0 ? 1 : top;
  }
  // The tags settle most lookups of bytes that are no token (about half of what a merge
  // asks) in a table of one byte a slot, without touching the 16-byte slots.
  uint32_t FindShort(std::string_view bytes) const {
    const uint64_t key = PackShort(bytes.data(), bytes.size());
    const uint32_t length = static_cast<uint32_t>(bytes.size());
    const uint64_t product = ShortProduct(key, bytes.size());
    const uint8_t tag = ShortTag(product);
    for (uint64_t slot = (product >> 21) & short_mask_;; slot = (slot + 1) & short_mask_) {
      const uint8_t slot_tag = short_tags_[slot];
      if (slot_tag == 0) return kNoRank;
      if (slot_tag == tag) {
        const ShortSlot& s = short_slots_[slot];
        if (s.key == key && s.length == length) return s.rank_plus_one - 1;
      }
    }
  }
  uint32_t FindLong(std::string_view bytes) const;

  // Tokens of 9 to 16 bytes have an index like the short tokens', their bytes inline as
  // the first and the last 8 (overlapping): a lookup reads one slot, where the general
  // index reads a slot, the token's offsets and its bytes, three cache misses. Whole
  // words of that length are most of the pieces looked up that are longer than 8 bytes.
  static constexpr size_t kMediumMax = 16;
  struct MediumSlot {
    uint64_t first;
    uint64_t last;
    uint32_t rank_plus_one;
    uint32_t length;
  };
  static uint64_t MediumProduct(uint64_t first, uint64_t last, size_t size) {
    return ((first * 0x9E3779B97F4A7C15ull) ^ last ^ (uint64_t{size} << 58)) * 0xC2B2AE3D27D4EB4Full;
  }
  // Out of line, as FindLong: Find stays small enough to be inlined where it is hot.
  uint32_t FindMedium(std::string_view bytes) const;
  std::span<const MediumSlot> medium_slots_;
  std::span<const uint8_t> medium_tags_;
  uint64_t medium_mask_ = 0;

  std::vector<uint32_t> owned_offsets_;
  std::vector<char> owned_bytes_;
  std::span<const uint32_t> offsets_;
  std::string_view bytes_;
  // Tokens of more than kMediumMax bytes. Slot: high 32 bits a hash tag, low 32 bits
  // rank + 1 (0 = empty).
  std::span<const uint64_t> slots_;
  uint64_t mask_ = 0;
  std::span<const ShortSlot> short_slots_;
  std::span<const uint8_t> short_tags_;  ///< per short slot: 0 when empty, else its ShortTag
  uint64_t short_mask_ = 0;
  // The rank of every two-byte token, indexed by its bytes (256 KB): the pairs a merge
  // looks up first, read without a probe, from a table small enough to stay in cache.
  std::span<const uint32_t> pair_ranks_;
  std::array<uint32_t, 256> byte_ranks_{};
  // The indexes above, when this table built them (the views then point here; a moved
  // vector keeps its buffer, so they stay valid when the table moves). Empty when they
  // point into an embedded blob.
  struct OwnedIndex {
    std::vector<uint64_t> slots;
    std::vector<ShortSlot> short_slots;
    std::vector<uint8_t> short_tags;
    std::vector<MediumSlot> medium_slots;
    std::vector<uint8_t> medium_tags;
    std::vector<uint32_t> pair_ranks;
  };
  OwnedIndex owned_;
};

}  // namespace tunepack::tokenize
