#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tokenize/tiktoken/backtrack_encoder.h"
#include "tokenize/tiktoken/byte_pair.h"
#include "tokenize/hf/word_cache.h"
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/rank_table.h"
#include "tokenize/tiktoken/tiktoken_format.h"
#include "tokenize/tiktoken/tiktoken_tokenizer.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

std::vector<TokenId> Encode(std::string_view name, std::string_view text, bool allow_special = false) {
  auto tokenizer = LoadTokenizer(name);
  EXPECT_THAT(tokenizer, IsOk());
  std::vector<TokenId> ids;
  EncodeOptions options;
  options.allow_special = allow_special;
  EXPECT_THAT((*tokenizer)->Encode(text, options, &ids), IsOk());
  return ids;
}

// Returns the bytes of token `id` of a tiktoken encoding (Decode would replace a token that
// is part of a character with U+FFFD).
Result<std::string> TokenBytes(const Tokenizer& tokenizer, TokenId id) {
  const auto* tiktoken = dynamic_cast<const TiktokenTokenizer*>(&tokenizer);
  if (tiktoken == nullptr) return InvalidArgumentError("not a tiktoken encoding");
  return tiktoken->DecodeBytes(std::span<const TokenId>(&id, 1));
}

// Reference ids from the tiktoken npm package 1.0.22 (the parity test checks many more).
TEST(TiktokenTest, EncodesKnownIds) {
  EXPECT_THAT(Encode("cl100k_base", "hello world"), ElementsAre(15339, 1917));
  EXPECT_THAT(Encode("o200k_base", "hello world"), ElementsAre(24912, 2375));
  EXPECT_THAT(Encode("gpt2", "hello world"), ElementsAre(31373, 995));
  EXPECT_THAT(Encode("r50k_base", "hello world"), ElementsAre(31373, 995));
  EXPECT_THAT(Encode("p50k_base", "hello world"), ElementsAre(31373, 995));
}

TEST(TiktokenTest, SpecialTokensAreTextUnlessAllowed) {
  const std::string text = "a<|endoftext|>b";
  const std::vector<TokenId> plain = Encode("cl100k_base", text);
  EXPECT_THAT(plain, ::testing::Not(::testing::Contains(100257u)));
  EXPECT_THAT(Encode("cl100k_base", text, true), ElementsAre(64, 100257, 65));
}

TEST(TiktokenTest, OffsetsSliceBackToTheText) {
  auto tokenizer = LoadTokenizer("o200k_base");
  ASSERT_THAT(tokenizer, IsOk());
  const std::string text = "Grüße, 世界! Zażółć gęślą jaźń 🙂👩‍👩‍👧 1234567 <|endoftext|>";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_EQ(ids.size(), offsets.size());
  std::string joined;
  uint32_t previous_end = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(offsets[i].begin, previous_end);
    auto piece = TokenBytes(**tokenizer, ids[i]);
    ASSERT_THAT(piece, IsOk());
    EXPECT_EQ(*piece, text.substr(offsets[i].begin, offsets[i].end - offsets[i].begin));
    previous_end = offsets[i].end;
  }
  EXPECT_EQ(previous_end, text.size());
}

TEST(TiktokenTest, DecodeInvertsEncodeAndCountMatches) {
  for (const auto& info : ListBuiltinTokenizers()) {
    auto tokenizer = LoadTokenizer(info.name);
    ASSERT_THAT(tokenizer, IsOk()) << info.name;
    const std::string text = "The quick brown fox — ñandú, Ελληνικά, 日本語\n\n\tcode(x) {}   ";
    std::vector<TokenId> ids;
    ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids), IsOk());
    auto decoded = (*tokenizer)->Decode(ids);
    ASSERT_THAT(decoded, IsOk());
    EXPECT_EQ(*decoded, text) << info.name;
    auto count = (*tokenizer)->Count(text, {});
    ASSERT_THAT(count, IsOk());
    EXPECT_EQ(*count, ids.size());
  }
}

TEST(TiktokenTest, ReportsVocabularySizes) {
  EXPECT_EQ((*LoadTokenizer("cl100k_base"))->vocab_size(), 100277u);
  EXPECT_EQ((*LoadTokenizer("o200k_base"))->vocab_size(), 200019u);
  EXPECT_EQ((*LoadTokenizer("p50k_base"))->vocab_size(), 50281u);
  EXPECT_EQ((*LoadTokenizer("gpt2"))->vocab_size(), 50257u);
}

TEST(TiktokenTest, RepetitiveInputRoundTrips) {
  // tiktoken's test_catastrophically_repetitive; the heap merge keeps this linearithmic.
  for (const char* c : {"a", " ", "\n", "0", "-", "\xE4\xB8\xAD"}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += c;
    std::vector<TokenId> ids;
    ASSERT_THAT((*LoadTokenizer("cl100k_base"))->Encode(text, {}, &ids), IsOk());
    EXPECT_EQ(*(*LoadTokenizer("cl100k_base"))->Decode(ids), text);
  }
}

TEST(TiktokenTest, LoadsATiktokenRankFile) {
  testing::TempDir dir;
  // A rank file in the .tiktoken format, made from the built-in gpt2 vocabulary.
  auto gpt2 = LoadTokenizer("gpt2");
  ASSERT_THAT(gpt2, IsOk());
  std::string ranks;
  for (TokenId id = 0; id < 50256; ++id) {
    static const char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string bytes = *TokenBytes(**gpt2, id);
    std::string b64;
    for (size_t i = 0; i < bytes.size(); i += 3) {
      uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
      if (i + 1 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
      if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
      b64 += kAlphabet[(chunk >> 18) & 63];
      b64 += kAlphabet[(chunk >> 12) & 63];
      b64 += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
      b64 += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    }
    ranks += b64 + " " + std::to_string(id) + "\n";
  }
  testing::WriteFile(dir / "r50k_base.tiktoken", ranks);
  testing::WriteFile(dir / "mine.tiktoken", ranks);

  auto by_name = LoadTokenizer((dir / "r50k_base.tiktoken").string());
  ASSERT_THAT(by_name, IsOk());
  std::vector<TokenId> ids;
  ASSERT_THAT((*by_name)->Encode("hello world", {}, &ids), IsOk());
  EXPECT_THAT(ids, ElementsAre(31373, 995));

  EXPECT_THAT(LoadTokenizer((dir / "mine.tiktoken").string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("cl100k_base:")));
  EXPECT_THAT(LoadTokenizer("gpt2:" + (dir / "mine.tiktoken").string()), IsOk());
}

TEST(TiktokenTest, UnknownSpecIsNotFound) {
  EXPECT_THAT(LoadTokenizer("no_such_encoding"),
              StatusIs(StatusCode::kNotFound, HasSubstr("cl100k_base")));
}

TEST(TiktokenFormatTest, ParsesBothRankLineForms) {
  auto tokens = ParseTiktokenRanks("! 0 YQ== Yg==\nYWI= 3\n");
  ASSERT_THAT(tokens, IsOk());
  EXPECT_THAT(*tokens, ElementsAre("a", "b", "", "ab"));
  EXPECT_THAT(ParseTiktokenRanks("YQ== x\n"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 1")));
}

TEST(TiktokenFormatTest, RanksFarBeyondTheirCountAreRefusedBeforeAllocating) {
  // One rank near 5e8 once made a 16 GB table (then bad_alloc); it is refused by line, at
  // once. A few unused ranks (claude.json has 5) are fine.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(ParseTiktokenRanks("YQ== 0\nYg== 500000000\n"),
              StatusIs(StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 2"), HasSubstr("500000000"), HasSubstr("not a rank file"))));
  EXPECT_THAT(ParseTiktokenRanks("! 100000000 YQ== Yg==\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 1")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  auto sparse = ParseTiktokenRanks("YQ== 5\nYg== 9\n");
  ASSERT_THAT(sparse, IsOk());
  EXPECT_EQ(sparse->size(), 10u);
  EXPECT_THAT(ParseTiktokenRanks("YQ== 4294967294\n"), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(ParseTiktokenRanks("YQ== 3\nYg== 3\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("repeated")));
}

TEST(TiktokenFormatTest, SpecialTokenIdsFarPastTheRanksAreRefused) {
  std::string ranks = "! 0";
  for (int byte = 0; byte < 256; ++byte) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    ranks += std::string(" ") + kAlphabet[byte >> 2] + kAlphabet[(byte & 3) << 4] + "==";
  }
  auto json = [&](const std::string& id) {
    return R"({"pat_str": "\\S+|\\s+", "special_tokens": {"<end>": )" + id + R"(}, "bpe_ranks": ")" +
           ranks + R"("})";
  };
  auto near = ParseTiktokenJson("near", json("256"));
  ASSERT_THAT(near, IsOk());
  ASSERT_THAT(RankTable::Build(near->tokens), IsOk());
  EXPECT_THAT(TiktokenTokenizer::Create(near->definition, *RankTable::Build(near->tokens)), IsOk());
  auto far = ParseTiktokenJson("far", json("400000000"));
  ASSERT_THAT(far, IsOk());
  EXPECT_THAT(TiktokenTokenizer::Create(far->definition, *RankTable::Build(far->tokens)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("400000000")));
}

TEST(TiktokenFormatTest, DeeplyNestedJsonIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THAT(ParseTiktokenJson("deep", deep), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
  const std::string field = R"({"pat_str": "x", "bpe_ranks": "YQ== 0", "special_tokens": )" + deep + "}";
  EXPECT_THAT(ParseTiktokenJson("deep", field), StatusIs(StatusCode::kInvalidArgument, ::testing::_));
}

// The hash index the build stores in a blob answers every lookup as the one built at load
// does, and a blob that carries it encodes as one that does not.
TEST(TiktokenFormatTest, StoredIndexAnswersAsTheBuiltOne) {
  auto gpt2 = LoadTokenizer("gpt2");
  ASSERT_THAT(gpt2, IsOk());
  std::vector<std::string> tokens;
  for (TokenId id = 0; id < 50256; ++id) tokens.push_back(*TokenBytes(**gpt2, id));
  auto built = RankTable::Build(tokens);
  ASSERT_THAT(built, IsOk());
  std::string index;
  built->AppendIndex(index);
  std::vector<uint32_t> offsets{0};
  std::string bytes;
  for (const std::string& token : tokens) {
    bytes += token;
    offsets.push_back(static_cast<uint32_t>(bytes.size()));
  }
  auto stored = RankTable::BuildOverIndex(offsets, bytes, index);
  ASSERT_THAT(stored, IsOk());
  size_t lengths_seen[3] = {0, 0, 0};  // up to 8 bytes, 9 to 16, longer
  for (uint32_t rank = 0; rank < tokens.size(); ++rank) {
    ASSERT_EQ(stored->Find(tokens[rank]), rank) << tokens[rank];
    const std::string absent = tokens[rank] + "\x01";
    ASSERT_EQ(stored->Find(absent), built->Find(absent));
    ++lengths_seen[tokens[rank].size() <= 8 ? 0 : tokens[rank].size() <= 16 ? 1 : 2];
  }
  EXPECT_GT(lengths_seen[2], 0u);
  for (int byte = 0; byte < 256; ++byte) EXPECT_EQ(stored->ByteRank(byte), built->ByteRank(byte));
  EXPECT_THAT(RankTable::BuildOverIndex(offsets, bytes, std::string_view(index).substr(0, index.size() - 8)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("index")));

  auto backtrack = BacktrackEncoder::Build(*built, ComputeTokenSplits(*built));
  ASSERT_THAT(backtrack, IsOk());
  const auto& definition = dynamic_cast<const TiktokenTokenizer&>(**gpt2).definition();
  const std::string plain = SerializeTiktokenBlob(definition, tokens, backtrack->tables());
  const std::string indexed = SerializeTiktokenBlob(definition, tokens, backtrack->tables(), &*built);
  ASSERT_TRUE(indexed.starts_with(plain));
  auto from_plain = LoadTiktokenBlob("gpt2", plain);
  auto from_indexed = LoadTiktokenBlob("gpt2", indexed);
  ASSERT_THAT(from_plain, IsOk());
  ASSERT_THAT(from_indexed, IsOk());
  const std::string text =
      "Internationalization and antidisestablishmentarianism, hello world 12345 \xF0\x9F\x98\x80 "
      "    indented\n\n  ____________________ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  std::vector<TokenId> plain_ids, indexed_ids;
  ASSERT_THAT((*from_plain)->Encode(text, {}, &plain_ids), IsOk());
  ASSERT_THAT((*from_indexed)->Encode(text, {}, &indexed_ids), IsOk());
  EXPECT_EQ(indexed_ids, plain_ids);
  EXPECT_GT(indexed_ids.size(), 10u);
  EXPECT_THAT(LoadTiktokenBlob("gpt2", std::string_view(indexed).substr(0, indexed.size() - 8)),
              StatusIs(StatusCode::kDataLoss, HasSubstr("corrupt")));
}

TEST(TiktokenTest, DecodeReplacesCutCharactersWithReplacementCharacters) {
  auto tokenizer = LoadTokenizer("cl100k_base");
  ASSERT_THAT(tokenizer, IsOk());
  // The single-byte tokens of some bytes: "a", é's two bytes, the first two of a 3-byte
  // character (cut), "b", and 0xFF (never valid).
  std::map<uint8_t, TokenId> byte_token;
  for (TokenId id = 0; id < (*tokenizer)->vocab_size() && byte_token.size() < 256; ++id) {
    auto token = TokenBytes(**tokenizer, id);
    if (token.ok() && token->size() == 1) byte_token[static_cast<uint8_t>((*token)[0])] = id;
  }
  ASSERT_EQ(byte_token.size(), 256u);
  std::vector<TokenId> bytes;
  for (const uint8_t byte : {0x61, 0xC3, 0xA9, 0xE4, 0xB8, 0x62, 0xFF}) bytes.push_back(byte_token[byte]);
  auto text = (*tokenizer)->Decode(bytes);
  ASSERT_THAT(text, IsOk());
  // A whole é; a cut 3-byte character (one U+FFFD for its maximal subpart); a stray 0xFF.
  EXPECT_EQ(*text, "a\xC3\xA9\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  auto raw = TokenBytes(**tokenizer, bytes[3]);
  ASSERT_THAT(raw, IsOk());
  EXPECT_EQ(*raw, "\xE4");
}

// The tokens of the built-in `name` as a rank table: tokens[rank] is its bytes.
std::vector<std::string> BuiltinTokens(std::string_view name) {
  auto tokenizer = LoadTokenizer(name);
  EXPECT_THAT(tokenizer, IsOk());
  const auto specials = (*tokenizer)->special_tokens();
  std::vector<std::string> tokens;
  for (TokenId id = 0; id < (*tokenizer)->vocab_size(); ++id) {
    auto bytes = TokenBytes(**tokenizer, id);
    // Unused ranks and special tokens are no ordinary token.
    const bool special = std::any_of(specials.begin(), specials.end(),
                                     [id](const auto& entry) { return entry.second == id; });
    tokens.push_back(bytes.ok() && !special ? *bytes : std::string());
  }
  while (!tokens.empty() && tokens.back().empty()) tokens.pop_back();
  return tokens;
}

// Encodes `text` piece by piece with no cache at all: the whole-piece lookup, else the heap
// merge (which the byte_pair tests hold equal to tiktoken's own quadratic merge).
void EncodeUncached(const RankTable& ranks, std::string_view pattern, std::string_view text,
                    std::vector<TokenId>* ids, std::vector<TokenSpan>* offsets) {
  auto pretokenizer = MakePreTokenizer(pattern);
  ASSERT_THAT(pretokenizer, IsOk());
  std::vector<Piece> pieces;
  ASSERT_THAT((*pretokenizer)->Split(text, &pieces), IsOk());
  for (const Piece& piece : pieces) {
    const std::string_view bytes = text.substr(piece.begin, piece.end - piece.begin);
    if (const uint32_t whole = ranks.Find(bytes); whole != RankTable::kNoRank) {
      ids->push_back(whole);
      offsets->push_back({piece.begin, piece.end});
      continue;
    }
    std::vector<Part> parts;
    BytePairMergeHeap(ranks, bytes, &parts);
    uint32_t begin = piece.begin;
    for (const Part& part : parts) {
      ids->push_back(part.rank);
      offsets->push_back({begin, piece.begin + part.end});
      begin = piece.begin + part.end;
    }
  }
}

// Text whose words recur (so the second and later ones come from the pre-token cache), in
// several scripts, with pieces on both sides of the cache's length limit.
std::string RecurringText() {
  std::string text;
  const std::string long_word(hf::WordCache::kMaxWord - 1, 'q');
  for (int round = 0; round < 3; ++round) {
    text += "The quick brown fox jumps over the lazy dog; the dog sleeps. ";
    text += "Grüße aus Köln, Zażółć gęślą jaźń, Привет мир, 日本語のテキスト, 🙂👩‍👩‍👧 ";
    text += "x" + long_word + " " + long_word + "zz " + long_word + long_word + "\n\n\t";
    text += "for (int i = 0; i < 12345678; ++i) { total += i; }\n   ";
  }
  return text;
}

TEST(TiktokenCacheTest, CachedPiecesMatchAnUncachedEncode) {
  auto cl100k = LoadTokenizer("cl100k_base");
  ASSERT_THAT(cl100k, IsOk());
  auto ranks = RankTable::Build(BuiltinTokens("cl100k_base"));
  ASSERT_THAT(ranks, IsOk());
  const std::string text = RecurringText();
  std::vector<TokenId> expected_ids;
  std::vector<TokenSpan> expected_offsets;
  EncodeUncached(*ranks, kCl100kPattern, text, &expected_ids, &expected_offsets);
  // The first call fills this thread's cache, the second is answered from it.
  for (int call = 0; call < 2; ++call) {
    std::vector<TokenId> ids;
    std::vector<TokenSpan> offsets;
    ASSERT_THAT((*cl100k)->Encode(text, {}, &ids, &offsets), IsOk());
    EXPECT_EQ(ids, expected_ids) << "call " << call;
    ASSERT_EQ(offsets.size(), expected_offsets.size());
    for (size_t i = 0; i < offsets.size(); ++i) {
      EXPECT_EQ(offsets[i].begin, expected_offsets[i].begin) << "call " << call << " token " << i;
      EXPECT_EQ(offsets[i].end, expected_offsets[i].end) << "call " << call << " token " << i;
    }
    EXPECT_EQ(*(*cl100k)->Count(text, {}), expected_ids.size());
  }
}

TEST(TiktokenCacheTest, StaysExactWhenTheCacheFillsUp) {
  // More distinct pieces than the cache holds, so it is emptied and refilled mid-text.
  auto ranks = RankTable::Build(BuiltinTokens("cl100k_base"));
  ASSERT_THAT(ranks, IsOk());
  std::string text;
  for (uint32_t i = 0; i < 300000; ++i) {
    text += ' ';
    for (uint32_t n = i; n > 0 || text.back() == ' '; n /= 26) text += static_cast<char>('a' + n % 26);
  }
  text += text.substr(0, 100000);
  std::vector<TokenId> expected_ids;
  std::vector<TokenSpan> expected_offsets;
  EncodeUncached(*ranks, kCl100kPattern, text, &expected_ids, &expected_offsets);
  std::vector<TokenId> ids;
  ASSERT_THAT((*LoadTokenizer("cl100k_base"))->Encode(text, {}, &ids), IsOk());
  EXPECT_EQ(ids, expected_ids);
}

// A tiny tokenizer: the 256 bytes (rank = byte value) and `merged` as rank 256.
std::shared_ptr<const Tokenizer> TinyTokenizer(const std::string& merged) {
  std::vector<std::string> tokens;
  for (int byte = 0; byte < 256; ++byte) tokens.push_back(std::string(1, static_cast<char>(byte)));
  tokens.push_back(merged);
  auto ranks = RankTable::Build(std::move(tokens));
  EXPECT_THAT(ranks, IsOk());
  auto tokenizer = TiktokenTokenizer::Create({"tiny", std::string(kGpt2Pattern), {}, {}},
                                             std::move(*ranks));
  EXPECT_THAT(tokenizer, IsOk());
  return *tokenizer;
}

TEST(TiktokenCacheTest, EachTokenizerHasItsOwnCache) {
  // The same piece merges differently in the two vocabularies; a shared cache would give
  // the second tokenizer the first one's tokens.
  const auto ab = TinyTokenizer("ab");
  const auto bc = TinyTokenizer("bc");
  for (int round = 0; round < 3; ++round) {
    std::vector<TokenId> ids;
    ASSERT_THAT(ab->Encode("abc abc", {}, &ids), IsOk());
    EXPECT_THAT(ids, ElementsAre(256, 'c', ' ', 256, 'c'));
    ids.clear();
    ASSERT_THAT(bc->Encode("abc abc", {}, &ids), IsOk());
    EXPECT_THAT(ids, ElementsAre('a', 256, ' ', 'a', 256));
  }
}

TEST(TiktokenCacheTest, ThreadsSharingOneTokenizerAgree) {
  // One tokenizer object serves every thread; each thread has its own cache.
  for (const char* name : {"o200k_base", "claude-legacy"}) {
    auto tokenizer = LoadTokenizer(name);
    ASSERT_THAT(tokenizer, IsOk());
    const std::string text = RecurringText();
    std::vector<TokenId> expected;
    ASSERT_THAT((*tokenizer)->Encode(text, {}, &expected), IsOk());
    std::vector<std::vector<TokenId>> results(4);
    std::vector<std::thread> threads;
    for (auto& result : results) {
      threads.emplace_back([&tokenizer, &text, &result] {
        for (int call = 0; call < 20; ++call) {
          result.clear();
          if (!(*tokenizer)->Encode(text, {}, &result).ok()) return;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (const auto& result : results) EXPECT_EQ(result, expected) << name;
  }
}

}  // namespace
}  // namespace tunepack::tokenize
