// WordCache: a per-thread cache from a word (a pre-token) to the model's tokens for it, so
// the words that recur in text are merged once. Each tokenizer instance has its own cache on
// each thread; the tokenizer object itself stays immutable and shared. A cache starts small
// and grows with the distinct words it meets: a server has a hundred threads that each count
// a few examples, and a full-size cache on each would cost most of its memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenize/hf/model_token.h"

namespace tunepack::tokenize::hf {

class WordCache {
 public:
  // Words longer than this are not cached: they rarely recur and would crowd the cache.
  static constexpr size_t kMaxWord = 64;

  // Returns the cache of tokenizer `owner` for this thread.
  static WordCache& ForThread(uint64_t owner);

  // Returns the tokens of `word` and sets *count, or returns nullptr when not cached. A
  // one-token word is answered from the slot itself (*single holds it).
  const ModelToken* Find(std::string_view word, uint64_t hash, uint32_t* count,
                         ModelToken* single) {
    const Key key = MakeKey(word);
    // The front table keeps the most recent words of each hash bucket in L2.
    Slot& front = front_[(hash >> 40) & front_mask_];
    if (Matches(front, word, hash, key)) return Answer(front, word, count, single);
    for (size_t slot = hash & slot_mask_;; slot = (slot + 1) & slot_mask_) {
      const Slot& s = slots_[slot];
      if (s.key_length == 0) return nullptr;
      if (Matches(s, word, hash, key)) {
        front = s;
        return Answer(s, word, count, single);
      }
    }
  }

  // Caches the tokens of `word`; grows the cache, or empties it at its largest, when full.
  void Insert(std::string_view word, uint64_t hash, const ModelToken* tokens, uint32_t count);

  static uint64_t Hash(std::string_view word);

 private:
  WordCache() { Resize(kFirstSlots); }

  static constexpr size_t kHeadBytes = 16;
  struct Slot;
  // Makes room for `slots` slots and places the cached words again.
  void Resize(size_t slots);
  // Puts `s`, a word whose hash is `hash`, in its slot.
  void Place(const Slot& s, uint64_t hash);
  struct Key {
    uint64_t head[2];
  };
  static Key MakeKey(std::string_view word) {
    Key key{{0, 0}};
    std::memcpy(key.head, word.data(), word.size() < kHeadBytes ? word.size() : kHeadBytes);
    return key;
  }

  // 32 bytes: the first 16 bytes of the word inline, so most lookups touch one cache line.
  struct Slot {
    uint64_t head[2] = {0, 0};
    uint32_t hash = 0;        ///< the low half of the word's hash, which places it again on Resize
    uint32_t key_offset = 0;  ///< the bytes after the head, in keys_
    uint32_t value = 0;       ///< the token id when value_count is 1, else an offset in values_
    uint16_t key_length = 0;  ///< 0: empty slot
    uint16_t value_count = 0;
  };
  bool Matches(const Slot& s, std::string_view word, uint64_t hash, const Key& key) const {
    return s.key_length == word.size() && s.hash == static_cast<uint32_t>(hash) &&
           s.head[0] == key.head[0] && s.head[1] == key.head[1] &&
           (word.size() <= kHeadBytes ||
            std::memcmp(keys_.data() + s.key_offset, word.data() + kHeadBytes, word.size() - kHeadBytes) == 0);
  }
  const ModelToken* Answer(const Slot& s, std::string_view word, uint32_t* count, ModelToken* single) const {
    *count = s.value_count;
    if (s.value_count == 1) {
      *single = {s.value, 0, static_cast<uint32_t>(word.size())};
      return single;
    }
    return values_.data() + s.value;
  }

  // At most, room for the distinct words of a few MB of mixed-language text: a cache that is
  // emptied too often costs more merges than its memory is worth. Half the slots are used at
  // most; the front table has one slot for 32.
  static constexpr size_t kFirstSlots = 1 << 12;
  static constexpr size_t kMaxSlots = 1 << 18;
  static constexpr size_t kFrontShare = 32;

  std::vector<Slot> slots_;
  std::vector<Slot> front_;
  size_t slot_mask_ = 0;
  size_t front_mask_ = 0;
  std::string keys_;
  std::vector<ModelToken> values_;
  size_t entries_ = 0;
};

}  // namespace tunepack::tokenize::hf
