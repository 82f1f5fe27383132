// PieceTrie against a plain scan of its keys: every prefix of a text that is a key is
// found, with the value of the last entry of that key, and nothing else. The keys are
// built to crowd the double array (many siblings, bytes 0x00 and 0xFF, long chains, keys
// that are prefixes of others) so that states land in holes, in the search window and
// past the end of the array.
#include "tokenize/spm/piece_trie.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace tunepack::tokenize::spm {
namespace {

// The (length, value) pairs a scan of `keys` (the last value of a repeated key) gives.
std::vector<std::pair<size_t, int32_t>> ScanPrefixes(const std::map<std::string, int32_t>& keys,
                                                     std::string_view text) {
  std::vector<std::pair<size_t, int32_t>> found;
  for (size_t length = 1; length <= text.size(); ++length) {
    const auto key = keys.find(std::string(text.substr(0, length)));
    if (key != keys.end()) found.emplace_back(length, key->second);
  }
  return found;
}

std::vector<std::pair<size_t, int32_t>> TriePrefixes(const PieceTrie& trie, std::string_view text) {
  std::vector<std::pair<size_t, int32_t>> found;
  trie.ForEachPrefix(text, [&](size_t length, int32_t value) { found.emplace_back(length, value); });
  return found;
}

TEST(PieceTrieTest, FindsExactlyThePrefixesThatAreKeys) {
  std::mt19937 random(15);
  // Few distinct bytes make long shared prefixes; all 256 make wide states.
  for (const int alphabet : {3, 26, 256}) {
    std::vector<std::string> pieces;
    std::uniform_int_distribution<int> byte(0, alphabet - 1);
    std::uniform_int_distribution<int> length(1, 24);
    for (int i = 0; i < 20000; ++i) {
      std::string piece(static_cast<size_t>(length(random)), '\0');
      for (char& c : piece) c = static_cast<char>(alphabet == 256 ? byte(random) : 'a' + byte(random));
      pieces.push_back(std::move(piece));
    }
    pieces.push_back(std::string(1, '\0'));
    pieces.push_back(std::string(300, '\xFF'));
    std::vector<PieceTrie::Entry> entries;
    std::map<std::string, int32_t> keys;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const auto value = static_cast<int32_t>(i % 1000 == 7 ? PieceTrie::kMaxValue : i);
      entries.push_back({pieces[i], value});
      keys[pieces[i]] = value;  // a repeated key keeps its last entry's value
    }
    entries.push_back({"", 5});                                // empty: skipped
    entries.push_back({"x", PieceTrie::kMaxValue + 1});        // out of range: skipped
    const PieceTrie trie = PieceTrie::Build(entries);
    ASSERT_FALSE(trie.empty());
    // Every key and every key with bytes after it, then texts no key need start.
    for (const std::string& piece : pieces) {
      for (const std::string& text : {piece, piece + piece, piece + std::string(1, '\0')}) {
        ASSERT_EQ(TriePrefixes(trie, text), ScanPrefixes(keys, text)) << "alphabet " << alphabet;
      }
    }
    for (int i = 0; i < 2000; ++i) {
      std::string text(30, '\0');
      for (char& c : text) c = static_cast<char>(alphabet == 256 ? byte(random) : 'a' + byte(random));
      ASSERT_EQ(TriePrefixes(trie, text), ScanPrefixes(keys, text)) << "alphabet " << alphabet;
      ASSERT_EQ(trie.LongestPrefix(text),
                ScanPrefixes(keys, text).empty() ? 0 : ScanPrefixes(keys, text).back().first);
    }
  }
}

TEST(PieceTrieTest, AnEmptyTrieFindsNothing) {
  const PieceTrie built = PieceTrie::Build({{"", 1}});
  const PieceTrie unbuilt;
  for (const PieceTrie* trie : {&built, &unbuilt}) {
    EXPECT_TRUE(trie->empty());
    EXPECT_EQ(trie->LongestPrefix("abc"), 0u);
    for (int byte = 0; byte < 256; ++byte) EXPECT_FALSE(trie->HasPieceStartingWith(static_cast<uint8_t>(byte)));
  }
}

}  // namespace
}  // namespace tunepack::tokenize::spm
