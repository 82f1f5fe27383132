#include "tokenize/hf/word_cache.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace tunepack::tokenize::hf {

WordCache::WordCache() : slots_(kSlots) {}

WordCache& WordCache::ForThread(uint64_t owner) {
  // A few tokenizers per thread; the least recently added is dropped beyond that.
  constexpr size_t kOwners = 4;
  thread_local std::vector<std::pair<uint64_t, std::unique_ptr<WordCache>>> caches;
  for (auto& [id, cache] : caches) {
    if (id == owner) return *cache;
  }
  if (caches.size() == kOwners) caches.erase(caches.begin());
  caches.emplace_back(owner, std::unique_ptr<WordCache>(new WordCache()));
  return *caches.back().second;
}

uint64_t WordCache::Hash(std::string_view word) { return XXH3_64bits(word.data(), word.size()); }

const ModelToken* WordCache::Find(std::string_view word, uint64_t hash, uint32_t* count) const {
  for (size_t slot = hash & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
    const Slot& s = slots_[slot];
    if (s.key_length == 0) return nullptr;
    if (s.hash == hash && s.key_length == word.size() &&
        std::string_view(keys_).substr(s.key_offset, s.key_length) == word) {
      *count = s.value_count;
      return values_.data() + s.value_offset;
    }
  }
}

void WordCache::Insert(std::string_view word, uint64_t hash, const ModelToken* tokens, uint32_t count) {
  if (word.empty() || word.size() > kMaxWord) return;
  if (entries_ >= kMaxEntries) {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    keys_.clear();
    values_.clear();
    entries_ = 0;
  }
  size_t slot = hash & (kSlots - 1);
  while (slots_[slot].key_length != 0) slot = (slot + 1) & (kSlots - 1);
  slots_[slot] = {hash, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(word.size()),
                  static_cast<uint32_t>(values_.size()), count};
  keys_.append(word);
  values_.insert(values_.end(), tokens, tokens + count);
  ++entries_;
}

}  // namespace tunepack::tokenize::hf
