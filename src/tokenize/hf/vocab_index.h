// VocabIndex: token bytes -> id for the models' hot lookups (merge loading, initial BPE
// symbols, whole-word lookups). Each 16-byte slot holds the first 8 bytes of its token, so a
// lookup of a token of up to 8 bytes reads one slot and nothing else; RankTable's generic
// index would also read the token's offsets and bytes.
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
      if (s.meta == meta && s.head == head && (bytes.size() <= 8 || SameTail(s.id, bytes))) return s.id;
    }
  }

 private:
  struct Slot {
    uint64_t head = 0;
    uint32_t id = 0;
    uint32_t meta = 0;  ///< length (low 8 bits, capped) and 24 bits of hash; 0 = empty
  };

  static uint64_t Head(std::string_view bytes) {
    uint64_t head = 0;
    std::memcpy(&head, bytes.data(), bytes.size() < 8 ? bytes.size() : 8);
    return head;
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
  // Whether the token `id` (of bytes.size() > 8 bytes, same head) ends as `bytes` does. Up
  // to 16 bytes, the last eight bytes of each (which overlap the head) settle it inline.
  bool SameTail(uint32_t id, std::string_view bytes) const {
    const std::string_view token = vocab_->Token(id);
    if (token.size() != bytes.size()) return false;
    if (bytes.size() <= 16) {
      uint64_t a, b;
      std::memcpy(&a, token.data() + token.size() - 8, 8);
      std::memcpy(&b, bytes.data() + bytes.size() - 8, 8);
      return a == b;
    }
    return std::memcmp(token.data() + 8, bytes.data() + 8, bytes.size() - 8) == 0;
  }

  const RankTable* vocab_ = nullptr;
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
};

}  // namespace tunepack::tokenize::hf
