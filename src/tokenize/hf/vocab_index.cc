#include "tokenize/hf/vocab_index.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>

namespace tunepack::tokenize::hf {

uint64_t VocabIndex::Hash(std::string_view bytes, uint64_t head) {
  if (bytes.size() <= 8) {
    // Short tokens, the common case, get the splitmix64 finaliser of their inline bytes,
    // which spreads every input bit over the low bits that pick the slot.
    uint64_t h = head ^ (bytes.size() * 0x9E3779B97F4A7C15ull);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }
  return XXH3_64bits(bytes.data(), bytes.size());
}

VocabIndex::VocabIndex(const RankTable& vocab) : vocab_(&vocab) {
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(16, uint64_t{vocab.size()} * 2));
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    const std::string_view token = vocab.Token(id);
    if (token.empty()) continue;
    const uint64_t head = Head(token);
    const uint64_t hash = Hash(token, head);
    uint64_t slot = hash & mask_;
    while (slots_[slot].meta != 0) slot = (slot + 1) & mask_;
    slots_[slot] = {head, id, Meta(token.size(), hash)};
  }
}

}  // namespace tunepack::tokenize::hf
