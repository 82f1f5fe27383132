// WordCache: a per-thread cache from a word (a pre-token) to the model's tokens for it, so
// the words that recur in text are merged once. Each tokenizer instance has its own cache on
// each thread; the tokenizer object itself stays immutable and shared.
#pragma once

#include <cstdint>
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

  // Returns the tokens of `word` and sets *count, or returns nullptr when not cached.
  const ModelToken* Find(std::string_view word, uint64_t hash, uint32_t* count) const;

  // Caches the tokens of `word`; empties the cache first when it is full.
  void Insert(std::string_view word, uint64_t hash, const ModelToken* tokens, uint32_t count);

  static uint64_t Hash(std::string_view word);

 private:
  WordCache();

  struct Slot {
    uint64_t hash = 0;
    uint32_t key_offset = 0;
    uint32_t key_length = 0;  ///< 0: empty slot
    uint32_t value_offset = 0;
    uint32_t value_count = 0;
  };
  static constexpr size_t kSlots = 1 << 17;
  static constexpr size_t kMaxEntries = kSlots / 2;

  std::vector<Slot> slots_;
  std::string keys_;
  std::vector<ModelToken> values_;
  size_t entries_ = 0;
};

}  // namespace tunepack::tokenize::hf
