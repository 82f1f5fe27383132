// VocabIndex: token bytes -> id for the models' hot lookups (merge loading, initial BPE
// symbols, whole-word lookups). Each 16-byte slot holds the first 8 bytes of its token, so a
// lookup of a token of up to 8 bytes reads one slot and nothing else; RankTable's generic
// index would also read the token's offsets and bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "tokenize/rank_table.h"

namespace tunepack::tokenize::hf {

class VocabIndex {
 public:
  static constexpr uint32_t kNone = RankTable::kNoRank;

  // Indexes every non-empty token of `vocab`, which must outlive the index.
  explicit VocabIndex(const RankTable& vocab);
  VocabIndex() = default;

  // Starts loading the slot Find(bytes) reads first, so that a batch of lookups overlaps its
  // cache misses (the loader resolves half a million merges this way).
  void Prefetch(std::string_view bytes) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Hash(bytes, Head(bytes)) & mask_]);
  }

  // Returns the id of the token whose bytes are `bytes`, or kNone.
  uint32_t Find(std::string_view bytes) const {
    if (slots_.empty()) return kNone;
    const uint64_t head = Head(bytes);
    const uint64_t hash = Hash(bytes, head);
    const uint32_t meta = Meta(bytes.size(), hash);
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const Slot& s = slots_[slot];
      if (s.meta == 0) return kNone;
      if (s.meta == meta && s.head == head &&
          (bytes.size() <= 8 || vocab_->Token(s.id).substr(8) == bytes.substr(8))) {
        return s.id;
      }
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
  static uint64_t Hash(std::string_view bytes, uint64_t head);
  static uint32_t Meta(size_t length, uint64_t hash) {
    return static_cast<uint32_t>((hash >> 40) << 8) | static_cast<uint32_t>(length < 255 ? length + 1 : 255);
  }

  const RankTable* vocab_ = nullptr;
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
};

}  // namespace tunepack::tokenize::hf
