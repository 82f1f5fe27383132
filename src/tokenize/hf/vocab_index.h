// VocabIndex: token bytes -> id for the models' hot lookups (merge loading, initial BPE
// symbols, whole-word lookups). Each 32-byte slot holds the first and the last 8 bytes of
// its token, so a lookup of a token of up to 16 bytes reads one slot and nothing else
// (1.51 of the 1.54 million tokens Gemma 3's merges spell); RankTable's generic index would
// also read the token's offsets and bytes, two more cache misses that depend on each other.
// With 16-byte slots and the offsets and bytes read for tokens of 9-16 bytes, these reads
// were half the time of resolving Gemma 3's merges; a parallel array of the last 8 bytes,
// prefetched with the slot, cost more than it saved (the misses in flight are what limit it).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize::hf {

class VocabIndex {
 public:
  static constexpr uint32_t kNone = RankTable::kNoRank;

  // Indexes every non-empty token of `vocab`, which must outlive the index. Returns
  // InvalidArgument when two ids have the same bytes.
  static Result<VocabIndex> Build(const RankTable& vocab);
  VocabIndex() = default;

  // Returns the hash FindHashed and PrefetchHashed take for `bytes`.
  static uint64_t HashOf(std::string_view bytes) { return Hash(bytes, Head(bytes)); }

  // Starts loading the slot a lookup of `hash` reads first, so that a batch of lookups
  // overlaps its cache misses (the loader resolves half a million merges this way).
  void PrefetchHashed(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }

  // Returns the id of the token whose bytes are `bytes`, or kNone.
  uint32_t Find(std::string_view bytes) const { return FindHashed(bytes, HashOf(bytes)); }

  // Find, given hash == HashOf(bytes).
  uint32_t FindHashed(std::string_view bytes, uint64_t hash) const {
    if (slots_.empty()) return kNone;
    const uint64_t head = Head(bytes);
    const uint32_t meta = Meta(bytes.size(), hash);
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& s = slots_[slot];
      if (s.meta == 0) return kNone;
      if (s.meta == meta && s.head == head && (bytes.size() <= 8 || SameTail(s, bytes))) return s.id;
    }
  }

 private:
  struct alignas(32) Slot {
    uint64_t head = 0;
    uint64_t tail = 0;  ///< the last 8 bytes of a token of more than 8 bytes
    uint32_t id = 0;
    uint32_t meta = 0;  ///< length (low 8 bits, capped) and 24 bits of hash; 0 = empty
  };

  // The first 8 bytes of `bytes`, zero-padded. Read with fixed-size loads (a memcpy of a
  // variable size is a library call, once per lookup and per hash).
  static uint64_t Head(std::string_view bytes) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    if (n >= 8) {
      uint64_t head;
      std::memcpy(&head, p, 8);
      return head;
    }
    if (n >= 4) {
      // Two 4-byte reads that overlap when n < 8.
      uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      return uint64_t{low} | (uint64_t{high} << (8 * (n - 4)));
    }
    if (n == 0) return 0;
    return uint64_t{p[0]} | (uint64_t{p[n / 2]} << (8 * (n / 2))) | (uint64_t{p[n - 1]} << (8 * (n - 1)));
  }
  static uint64_t Hash(std::string_view bytes, uint64_t head) {
    if (bytes.size() > 8) return HashLong(bytes);
    // Short tokens, the common case, get the splitmix64 finaliser of their inline bytes,
    // which spreads every input bit over the low bits that pick the slot.
    uint64_t h = head ^ (bytes.size() * 0x9E3779B97F4A7C15ull);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }
  static uint64_t HashLong(std::string_view bytes);
  static uint32_t Meta(size_t length, uint64_t hash) {
    return static_cast<uint32_t>((hash >> 40) << 8) | static_cast<uint32_t>(length < 255 ? length + 1 : 255);
  }
  static uint64_t Tail(std::string_view bytes) {
    uint64_t tail = 0;
    if (bytes.size() > 8) std::memcpy(&tail, bytes.data() + bytes.size() - 8, 8);
    return tail;
  }
  // Whether the token of `slot` (of bytes.size() > 8 bytes, same head and meta, so the same
  // length up to 253) ends as `bytes` does. Up to 16 bytes, the last eight bytes of each
  // (which overlap the head) settle it.
  bool SameTail(const Slot& slot, std::string_view bytes) const {
    if (slot.tail != Tail(bytes)) return false;
    if (bytes.size() <= 16) return true;
    const std::string_view token = vocab_->Token(slot.id);
    return token.size() == bytes.size() && std::memcmp(token.data() + 8, bytes.data() + 8, bytes.size() - 16) == 0;
  }

  const RankTable* vocab_ = nullptr;
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
};

}  // namespace tunepack::tokenize::hf
