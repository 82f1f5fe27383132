#include "tokenize/hf/word_cache.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tunepack/tokenize/thread_caches.h"

namespace tunepack::tokenize::hf {
namespace {

// Word i: short ones inline in the slot, long ones past the 16 bytes kept inline.
std::string WordNumber(size_t i) {
  std::string word = "w" + std::to_string(i);
  if (i % 3 == 0) word += std::string(20 + i % 30, 'a' + static_cast<char>(i % 26));
  return word;
}

TEST(WordCacheTest, EveryWordIsFoundAfterTheCacheGrows) {
  // A cache of its own (no other test uses this owner): it starts small and grows three
  // times over these words, placing the cached ones again each time.
  WordCache& cache = WordCache::ForThread(0x5eed'0001);
  constexpr size_t kWords = 100'000;
  for (size_t i = 0; i < kWords; ++i) {
    const std::string word = WordNumber(i);
    // Even words are one token covering the word; odd ones two tokens.
    std::vector<ModelToken> tokens;
    if (i % 2 == 0) {
      tokens.push_back({static_cast<uint32_t>(i), 0, static_cast<uint32_t>(word.size())});
    } else {
      tokens.push_back({static_cast<uint32_t>(i), 0, 1});
      tokens.push_back({static_cast<uint32_t>(i + 1), 1, static_cast<uint32_t>(word.size())});
    }
    cache.Insert(word, WordCache::Hash(word), tokens.data(), static_cast<uint32_t>(tokens.size()));
  }
  for (size_t i = 0; i < kWords; ++i) {
    const std::string word = WordNumber(i);
    uint32_t count = 0;
    ModelToken single{};
    const ModelToken* found = cache.Find(word, WordCache::Hash(word), &count, &single);
    ASSERT_NE(found, nullptr) << word;
    ASSERT_EQ(count, i % 2 == 0 ? 1u : 2u) << word;
    EXPECT_EQ(found[0].id, i) << word;
    EXPECT_EQ(found[count - 1].end, word.size()) << word;
  }
  const std::string absent = "not-cached";
  uint32_t count = 0;
  ModelToken single{};
  EXPECT_EQ(cache.Find(absent, WordCache::Hash(absent), &count, &single), nullptr);
}

TEST(WordCacheTest, AThreadGivesItsCachesBack) {
  std::thread([] {
    EXPECT_EQ(ThreadCacheCount(), 0u);
    const std::string word = "released";
    const ModelToken token{7, 0, static_cast<uint32_t>(word.size())};
    WordCache::ForThread(0x5eed'0002).Insert(word, WordCache::Hash(word), &token, 1);
    EXPECT_EQ(ThreadCacheCount(), 1u);
    ReleaseThreadCaches();
    EXPECT_EQ(ThreadCacheCount(), 0u);
    // What grows back is empty.
    uint32_t count = 0;
    ModelToken single{};
    EXPECT_EQ(WordCache::ForThread(0x5eed'0002).Find(word, WordCache::Hash(word), &count, &single), nullptr);
  }).join();
}

}  // namespace
}  // namespace tunepack::tokenize::hf
