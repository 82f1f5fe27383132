#include "tokenize/hf/word_cache.h"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tunepack/tokenize/thread_caches.h"

namespace tunepack::tokenize::hf {

namespace {

// A few tokenizers per thread; the least recently added is dropped beyond that.
constexpr size_t kOwners = 4;

std::vector<std::pair<uint64_t, std::unique_ptr<WordCache>>>& ThreadCaches() {
  thread_local std::vector<std::pair<uint64_t, std::unique_ptr<WordCache>>> caches;
  return caches;
}

}  // namespace

WordCache& WordCache::ForThread(uint64_t owner) {
  auto& caches = ThreadCaches();
  for (auto& [id, cache] : caches) {
    if (id == owner) return *cache;
  }
  if (caches.size() == kOwners) caches.erase(caches.begin());
  caches.emplace_back(owner, std::unique_ptr<WordCache>(new WordCache()));
  return *caches.back().second;
}

uint64_t WordCache::Hash(std::string_view word) { return XXH3_64bits(word.data(), word.size()); }

void WordCache::Resize(size_t slots) {
  std::vector<Slot> old(slots, Slot{});
  old.swap(slots_);
  front_.assign(slots / kFrontShare, Slot{});
  slot_mask_ = slots - 1;
  front_mask_ = front_.size() - 1;
  // The low half of a word's hash, which the slot keeps, is all that picks its slot (the
  // cache has far fewer than 2^32 slots): no word is hashed again.
  for (const Slot& s : old) {
    if (s.key_length != 0) Place(s, s.hash);
  }
}

void WordCache::Place(const Slot& s, uint64_t hash) {
  size_t slot = hash & slot_mask_;
  while (slots_[slot].key_length != 0) slot = (slot + 1) & slot_mask_;
  slots_[slot] = s;
}

void WordCache::Insert(std::string_view word, uint64_t hash, const ModelToken* tokens, uint32_t count) {
  if (word.empty() || word.size() > kMaxWord || count == 0 || count > UINT16_MAX) return;
  if (count == 1 && (tokens[0].begin != 0 || tokens[0].end != word.size())) return;
  if (entries_ >= slots_.size() / 2) {
    if (slots_.size() < kMaxSlots) {
      // Doubling keeps the slots near the words they hold (growing x4 left 8 MB for the
      // 55,000 merged pieces of a 6 MB corpus, where 4 MB serve).
      Resize(slots_.size() * 2);
    } else {
      std::fill(slots_.begin(), slots_.end(), Slot{});
      std::fill(front_.begin(), front_.end(), Slot{});
      keys_.clear();
      values_.clear();
      entries_ = 0;
    }
  }
  const Key key = MakeKey(word);
  Slot s;
  s.head[0] = key.head[0];
  s.head[1] = key.head[1];
  s.hash = static_cast<uint32_t>(hash);
  s.key_length = static_cast<uint16_t>(word.size());
  s.key_offset = static_cast<uint32_t>(keys_.size());
  if (word.size() > kHeadBytes) keys_.append(word.substr(kHeadBytes));
  s.value_count = static_cast<uint16_t>(count);
  // A single token (which covers the whole word) lives in the slot.
  if (count == 1) {
    s.value = tokens[0].id;
  } else {
    s.value = static_cast<uint32_t>(values_.size());
    values_.insert(values_.end(), tokens, tokens + count);
  }
  Place(s, hash);
  front_[(hash >> 40) & front_mask_] = s;
  ++entries_;
}

}  // namespace tunepack::tokenize::hf

namespace tunepack::tokenize {

void ReleaseThreadCaches() { hf::ThreadCaches().clear(); }

size_t ThreadCacheCount() { return hf::ThreadCaches().size(); }

}  // namespace tunepack::tokenize
