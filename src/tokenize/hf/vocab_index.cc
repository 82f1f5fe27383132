#include "tokenize/hf/vocab_index.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>

namespace tunepack::tokenize::hf {

uint64_t VocabIndex::HashLong(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

Result<VocabIndex> VocabIndex::Build(const RankTable& vocab) {
  VocabIndex index;
  index.vocab_ = &vocab;
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(16, uint64_t{vocab.size()} * 2));
  index.slots_.assign(capacity, Slot{});
  index.mask_ = capacity - 1;
  // The hashes first, then the slots in a batch whose cache misses overlap (a slot per
  // token, at random in a table of 16 MB for a 262,000-token vocabulary).
  std::vector<uint64_t> hashes(vocab.size());
  for (uint32_t id = 0; id < vocab.size(); ++id) hashes[id] = HashOf(vocab.Token(id));
  constexpr uint32_t kAhead = 16;
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    if (id + kAhead < vocab.size()) index.PrefetchHashed(hashes[id + kAhead]);
    const std::string_view token = vocab.Token(id);
    if (token.empty()) continue;
    const uint64_t head = Head(token);
    const uint32_t meta = Meta(token.size(), hashes[id]);
    uint64_t slot = hashes[id] & index.mask_;
    for (; index.slots_[slot].meta != 0; slot = (slot + 1) & index.mask_) {
      const Slot& s = index.slots_[slot];
      if (s.meta == meta && s.head == head && (token.size() <= 8 || index.SameTail(s, token))) {
        return InvalidArgumentError("ids " + std::to_string(s.id) + " and " + std::to_string(id) +
                                    " have the same bytes");
      }
    }
    index.slots_[slot] = {head, Tail(token), id, meta};
  }
  return index;
}

}  // namespace tunepack::tokenize::hf
