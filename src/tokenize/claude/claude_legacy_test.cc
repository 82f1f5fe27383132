// The claude-legacy built-in. Reference ids below were produced by the npm package
// @anthropic-ai/tokenizer 0.0.4 (encode_ordinary / encode(..., "all") of the NFKC text);
// tokenize_claude_parity checks the whole parity corpus against it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/status_matchers.h"
#include "tokenize/claude/nfkc_tokenizer.h"
#include "tokenize/tiktoken/tiktoken_tokenizer.h"
#include "tunepack/tokenize/tokenizer.h"
#include "tp_test_paths.h"

namespace tunepack::tokenize {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Pair;
using testing::IsOk;

std::shared_ptr<const Tokenizer> Claude() {
  auto tokenizer = LoadTokenizer("claude-legacy");
  EXPECT_THAT(tokenizer, IsOk());
  return *tokenizer;
}

std::vector<TokenId> Encode(std::string_view text, bool allow_special = false,
                            std::vector<TokenSpan>* offsets = nullptr) {
  std::vector<TokenId> ids;
  EncodeOptions options;
  options.allow_special = allow_special;
  EXPECT_THAT(Claude()->Encode(text, options, &ids, offsets), IsOk());
  return ids;
}

TEST(ClaudeLegacyTest, EncodesThePackagesIds) {
  EXPECT_THAT(Encode("hello world"), ElementsAre(9381, 2253));
  EXPECT_THAT(Encode("12345678901234567890"), ElementsAre(41238, 25479, 20520));
  // "ﬁnd ½" is encoded as its NFKC form "find 1⁄2".
  EXPECT_THAT(Encode("\xEF\xAC\x81nd \xC2\xBD"), ElementsAre(1745, 355, 4652, 22));
}

TEST(ClaudeLegacyTest, ClaudeJsonLoadedByPathIsTheSameTokenizerWithNfkc) {
  // The npm package's own claude.json, by path: NFKC applies as for the built-in name.
  const std::string path = std::string(TP_SOURCE_DIR) +
                           "/data/tokenizers/cache/anthropic-ai_tokenizer-0.0.4/package/claude.json";
  auto by_path = LoadTokenizer(path);
  ASSERT_THAT(by_path, IsOk());
  EXPECT_EQ((*by_path)->name(), path);
  const std::string text = "\xEF\xAC\x81nd \xC2\xBD \xEF\xBD\x88\xEF\xBD\x85llo <EOT>";
  for (const bool allow_special : {false, true}) {
    std::vector<TokenId> ids;
    EncodeOptions options;
    options.allow_special = allow_special;
    ASSERT_THAT((*by_path)->Encode(text, options, &ids), IsOk());
    EXPECT_EQ(ids, Encode(text, allow_special));
  }
  std::vector<TokenId> ids;
  ASSERT_THAT((*by_path)->Encode("\xEF\xAC\x81nd \xC2\xBD", {}, &ids), IsOk());
  EXPECT_THAT(ids, ElementsAre(1745, 355, 4652, 22));  // "find 1⁄2", the NFKC form
  EXPECT_EQ((*by_path)->vocab_size(), Claude()->vocab_size());
}

TEST(ClaudeLegacyTest, NormalisesCompatibilityCharacters) {
  // Fullwidth "ｈｅｌｌｏ" is "hello" after NFKC.
  EXPECT_EQ(Encode("\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F"),
            Encode("hello"));
}

TEST(ClaudeLegacyTest, SpecialTokensAreTextUnlessAllowed) {
  EXPECT_THAT(Encode("<EOT> x"), ElementsAre(32, 41, 1591, 34, 679));
  // countTokens() allows every special token: --allow-special gives its count.
  EXPECT_THAT(Encode("<EOT> x", true), ElementsAre(0, 679));
  EXPECT_THAT(Claude()->special_tokens(), Contains(Pair("<EOT>", 0)));
  EXPECT_EQ(Claude()->vocab_size(), 65000u);  // ranks 5..64999 and 5 special tokens
}

TEST(ClaudeLegacyTest, OffsetsReferToTheOriginalText) {
  // "ﬁnd ½!": NFKC makes "find 1⁄2!" (the ligature 3 bytes -> 2, "½" 2 bytes -> 5).
  const std::string text = "\xEF\xAC\x81nd \xC2\xBD!";
  std::vector<TokenSpan> offsets;
  const std::vector<TokenId> ids = Encode(text, false, &offsets);
  ASSERT_EQ(ids.size(), offsets.size());
  ASSERT_FALSE(offsets.empty());
  EXPECT_EQ(offsets.front().begin, 0u);
  EXPECT_EQ(offsets.back().end, text.size());
  for (size_t index = 0; index < offsets.size(); ++index) {
    EXPECT_LT(offsets[index].begin, offsets[index].end);
    EXPECT_LE(offsets[index].end, text.size());
    if (index > 0) {
      EXPECT_LE(offsets[index - 1].begin, offsets[index].begin);
    }
  }
  // The last token "!" is the last input byte.
  EXPECT_EQ(offsets.back().begin, text.size() - 1);
}

TEST(ClaudeLegacyTest, OffsetsCoverTheInputInOrder) {
  // Text that NFKC changes in every way: ligatures, fractions, fullwidth and compatibility
  // forms, combining sequences it composes, Hangul jamo; and text it leaves alone. Byte-level
  // BPE may split a character into byte tokens, so spans need not fall on character
  // boundaries; they must be in order and leave no input byte out.
  const std::string cases[] = {
      "Ｔｈｅ ﬁnal ½ price: ５０％ (ｖ２) — déjà vu",
      "e\xCC\x81te\xCC\x81 cafe\xCC\x81 \xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8 \xE3\x8C\x80",
      "Привет, мир! 東京 ｶﾞｷﾞ 👩‍💻 ㍿ ℌ𝔢𝔩𝔩𝔬 ⑴⑵ ＜EOT＞",
  };
  for (const std::string& text : cases) {
    std::vector<TokenSpan> offsets;
    const std::vector<TokenId> ids = Encode(text, false, &offsets);
    ASSERT_EQ(ids.size(), offsets.size()) << text;
    ASSERT_FALSE(offsets.empty()) << text;
    EXPECT_EQ(offsets.front().begin, 0u) << text;
    EXPECT_EQ(offsets.back().end, text.size()) << text;
    for (size_t index = 0; index < offsets.size(); ++index) {
      const TokenSpan& span = offsets[index];
      EXPECT_LT(span.begin, span.end) << text << " token " << index;
      if (index > 0) {
        EXPECT_LE(offsets[index - 1].begin, span.begin) << text << " token " << index;
        EXPECT_LE(offsets[index - 1].end, span.end) << text << " token " << index;
        EXPECT_GE(offsets[index - 1].end, span.begin) << text << " token " << index;
      }
    }
  }
}

TEST(ClaudeLegacyTest, OffsetsOfUnchangedTextSliceToTheTokens) {
  // NFKC changes only the leading ligature (3 bytes, "fi" after it); every token after it
  // must span exactly its own bytes in the original, shifted by the ligature's change.
  const std::string text = "\xEF\xAC\x81 Привет, мир! 東京 👩‍💻 plain words 12345";
  std::vector<TokenSpan> offsets;
  const std::vector<TokenId> ids = Encode(text, false, &offsets);
  ASSERT_EQ(ids.size(), offsets.size());
  size_t checked = 0;
  for (size_t index = 0; index < ids.size(); ++index) {
    if (offsets[index].begin < 3) continue;  // the ligature's own token
    ++checked;
    // The token's bytes (Decode would give U+FFFD for a token that is part of a character).
    const auto& nfkc = dynamic_cast<const NfkcTokenizer&>(*Claude());
    auto token = dynamic_cast<const TiktokenTokenizer&>(nfkc.inner()).DecodeBytes(
        std::span<const TokenId>(&ids[index], 1));
    ASSERT_THAT(token, IsOk());
    EXPECT_EQ(text.substr(offsets[index].begin, offsets[index].end - offsets[index].begin),
              *token)
        << "token " << index;
  }
  EXPECT_GT(checked, 10u);
}

TEST(ClaudeLegacyTest, ThreadsSharingTheTokenizerGetTheSameIdsAndOffsets) {
  // The NFKC scratch is per thread; concurrent calls must not see each other's text.
  const std::vector<std::string> texts = {"\xEF\xAC\x81nd \xC2\xBD and more text",
                                          "Ｔｈｅ ｆｕｌｌｗｉｄｔｈ ｐｒｉｃｅ ５０％",
                                          "plain ascii words only", "e\xCC\x81te\xCC\x81 ⑴⑵"};
  std::vector<std::vector<TokenId>> expected_ids;
  std::vector<std::vector<TokenSpan>> expected_offsets;
  for (const std::string& text : texts) {
    expected_offsets.emplace_back();
    expected_ids.push_back(Encode(text, false, &expected_offsets.back()));
  }
  const auto tokenizer = Claude();
  std::vector<int> mismatches(texts.size(), 0);
  std::vector<std::thread> threads;
  for (size_t thread_idx = 0; thread_idx < texts.size(); ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int round = 0; round < 2000; ++round) {
        const size_t text_idx = (thread_idx + static_cast<size_t>(round)) % texts.size();
        std::vector<TokenId> ids;
        std::vector<TokenSpan> offsets;
        if (!tokenizer->Encode(texts[text_idx], {}, &ids, &offsets).ok() ||
            ids != expected_ids[text_idx] || offsets.size() != expected_offsets[text_idx].size()) {
          ++mismatches[thread_idx];
          continue;
        }
        for (size_t index = 0; index < offsets.size(); ++index) {
          if (offsets[index].begin != expected_offsets[text_idx][index].begin ||
              offsets[index].end != expected_offsets[text_idx][index].end) {
            ++mismatches[thread_idx];
            break;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

TEST(ClaudeLegacyTest, LongDigitRunIsNotQuadratic) {
  // The pattern's ` ?\p{N}+` makes a 1 MB digit run a single piece; the package (tiktoken
  // WebAssembly) takes seconds for 100 KB of it.
  const std::string digits(1 << 20, '7');
  const auto start = std::chrono::steady_clock::now();
  auto count = Claude()->Count(digits, {});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_THAT(count, IsOk());
  std::vector<TokenId> ids = Encode(digits);
  EXPECT_EQ(*count, ids.size());
  EXPECT_EQ(*Claude()->Decode(ids), digits);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace tunepack::tokenize
