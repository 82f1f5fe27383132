#include "tokenize/hf/hf_tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tokenize/hf/byte_level.h"
#include "tokenize/hf/model_tables.h"
#include "tokenize/hf/normalizer.h"
#include "tokenize/tiktoken/piece_splitter.h"
#include "tp_test_paths.h"

namespace tunepack::tokenize::hf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

std::shared_ptr<const Tokenizer> FromJson(const std::string& json) {
  const simdjson::padded_string padded(json);
  auto tokenizer = HfTokenizer::FromJson("test", padded);
  EXPECT_THAT(tokenizer, IsOk());
  return tokenizer.ok() ? *tokenizer : nullptr;
}

std::vector<TokenId> Ids(const Tokenizer& tokenizer, std::string_view text, bool allow_special = false,
                         bool add_special = false) {
  std::vector<TokenId> ids;
  EncodeOptions options;
  options.allow_special = allow_special;
  options.add_special = add_special;
  EXPECT_THAT(tokenizer.Encode(text, options, &ids), IsOk());
  return ids;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

std::string Fixture(std::string_view name) {
  return std::string(TP_SOURCE_DIR) + "/tests/data/tokenize/hf/" + std::string(name) + ".json";
}

// A character-level BPE over "abc" whose merge list order differs from its token ids.
constexpr const char* kTinyBpe = R"({
  "added_tokens": [
    {"id": 10, "content": "<eos>", "special": true, "lstrip": false, "rstrip": false, "normalized": false, "single_word": false},
    {"id": 11, "content": "cab", "special": false, "lstrip": false, "rstrip": false, "normalized": false, "single_word": false}
  ],
  "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"},
  "post_processor": {"type": "TemplateProcessing",
    "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<eos>", "type_id": 0}}],
    "pair": [], "special_tokens": {"<eos>": {"id": "<eos>", "ids": [10], "tokens": ["<eos>"]}}},
  "decoder": null,
  "model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": false,
    "vocab": {"<unk>": 0, "a": 1, "b": 2, "c": 3, "ab": 4, "bc": 5, "abc": 6, "<": 7, ">": 8, "e": 9},
    "merges": ["b c", "a b", "ab c"]}
})";

TEST(HfBpeTest, MergePriorityIsTheMergeListOrder) {
  auto tokenizer = FromJson(kTinyBpe);
  ASSERT_NE(tokenizer, nullptr);
  // "b c" is listed first, so "abc" becomes a + bc, and (a, bc) is no merge: tiktoken's rule
  // (lowest id of the merged bytes first) would give ab + c -> abc instead.
  EXPECT_THAT(Ids(*tokenizer, "abc"), ElementsAre(1, 5));
  EXPECT_THAT(Ids(*tokenizer, "ab"), ElementsAre(4));
}

TEST(HfBpeTest, UnknownCharactersFuseIntoOneUnk) {
  auto tokenizer = FromJson(kTinyBpe);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "axyzb"), ElementsAre(1, 0, 2));
}

TEST(HfBpeTest, IgnoreMergesLooksUpTheWholeWordFirst) {
  std::string json = kTinyBpe;
  json.replace(json.find("\"fuse_unk\""), 0, "\"ignore_merges\": true, ");
  // "abc" is in the vocab, so it is one token although the merges would not produce it.
  auto tokenizer = FromJson(json);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "abc"), ElementsAre(6));
}

// Merge picks the linear scan for short words and the heap for long ones: both must apply
// the same merges in the same order. Random merge lists over four letters (several pairs
// giving the same token, merges of merges) and random words of every length the linear scan
// takes.
TEST(HfBpeTest, LinearAndHeapMergesAgree) {
  std::mt19937 random(7);
  for (int model_round = 0; model_round < 20; ++model_round) {
    std::vector<std::string> tokens = {"a", "b", "c", "d"};
    std::map<std::string, size_t> ids = {{"a", 0}, {"b", 1}, {"c", 2}, {"d", 3}};
    std::set<std::pair<size_t, size_t>> pairs;
    std::string merges;
    for (int m = 0; m < 80; ++m) {
      const size_t left = random() % tokens.size(), right = random() % tokens.size();
      if (!pairs.insert({left, right}).second || tokens[left].size() + tokens[right].size() > 8) continue;
      const std::string joined = tokens[left] + tokens[right];
      if (ids.emplace(joined, tokens.size()).second) tokens.push_back(joined);
      merges += (merges.empty() ? "\"" : ", \"") + tokens[left] + " " + tokens[right] + "\"";
    }
    std::string vocab;
    for (const auto& [token, id] : ids) vocab += (vocab.empty() ? "\"" : ", \"") + token + "\": " + std::to_string(id);
    const simdjson::padded_string json("{\"type\": \"BPE\", \"vocab\": {" + vocab + "}, \"merges\": [" + merges + "]}");
    simdjson::dom::parser parser;
    simdjson::dom::element model;
    ASSERT_EQ(parser.parse(json).get(model), simdjson::SUCCESS);
    auto bpe = BpeModel::Create(model, /*byte_level=*/false);
    ASSERT_THAT(bpe, IsOk());
    for (int word_round = 0; word_round < 50; ++word_round) {
      const uint32_t length = 2 + random() % (BpeModel::kLinearMergeMax - 1);
      std::vector<ModelToken> symbols;
      for (uint32_t i = 0; i < length; ++i) symbols.push_back({static_cast<uint32_t>(random() % 4), i, i + 1});
      std::vector<ModelToken> linear = symbols, heap = symbols;
      (*bpe)->MergeLinear(&linear);
      (*bpe)->MergeHeap(&heap);
      ASSERT_EQ(linear.size(), heap.size()) << "model " << model_round << " word " << word_round;
      for (size_t i = 0; i < linear.size(); ++i) {
        EXPECT_EQ(linear[i].id, heap[i].id);
        EXPECT_EQ(linear[i].begin, heap[i].begin);
        EXPECT_EQ(linear[i].end, heap[i].end);
      }
    }
  }
}

TEST(HfBpeTest, ByteFallbackSpellsUnknownCharactersInBytes) {
  std::string vocab = R"("<unk>": 0, "a": 1)";
  for (int byte = 0; byte < 256; ++byte) {
    char name[16];
    std::snprintf(name, sizeof(name), ", \"<0x%02X>\": %d", byte, 2 + byte);
    vocab += name;
  }
  auto tokenizer = FromJson(R"({"model": {"type": "BPE", "unk_token": "<unk>", "byte_fallback": true,
    "vocab": {)" + vocab + R"(}, "merges": []}})");
  ASSERT_NE(tokenizer, nullptr);
  // é is C3 A9: two byte tokens; 'a' is in the vocab and stays itself.
  EXPECT_THAT(Ids(*tokenizer, "a\xC3\xA9"), ElementsAre(1, 2 + 0xC3, 2 + 0xA9));
}

TEST(HfAddedTokensTest, SpecialTokensAreTextUnlessAllowed) {
  auto tokenizer = FromJson(kTinyBpe);
  ASSERT_NE(tokenizer, nullptr);
  // Not allowed: "<eos>" is spelled with the model's own tokens.
  EXPECT_THAT(Ids(*tokenizer, "a<eos>"), ElementsAre(1, 7, 9, 0, 8));
  EXPECT_THAT(Ids(*tokenizer, "a<eos>", /*allow_special=*/true), ElementsAre(1, 10));
}

TEST(HfAddedTokensTest, NonSpecialAddedTokensAreAlwaysMatched) {
  auto tokenizer = FromJson(kTinyBpe);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "acabc"), ElementsAre(1, 11, 3));
}

TEST(HfAddedTokensTest, StripAndSingleWordFlags) {
  auto tokenizer = FromJson(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]",
      "vocab": {"[UNK]": 0, "a": 1, "b": 2, "x": 3, "##x": 4}},
    "pre_tokenizer": {"type": "WhitespaceSplit"},
    "added_tokens": [
      {"id": 5, "content": "[M]", "special": true, "lstrip": true, "rstrip": false, "normalized": false, "single_word": false},
      {"id": 6, "content": "<s>", "special": false, "lstrip": false, "rstrip": true, "normalized": false, "single_word": false},
      {"id": 7, "content": "ab", "special": false, "lstrip": false, "rstrip": false, "normalized": false, "single_word": true}]})");
  ASSERT_NE(tokenizer, nullptr);
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  EncodeOptions options;
  options.allow_special = true;
  const std::string text = "a   [M] b<s>   x";
  ASSERT_THAT(tokenizer->Encode(text, options, &ids, &offsets), IsOk());
  EXPECT_THAT(ids, ElementsAre(1, 5, 2, 6, 3));
  ASSERT_EQ(offsets.size(), 5u);
  EXPECT_EQ(text.substr(offsets[1].begin, offsets[1].end - offsets[1].begin), "   [M]");  // lstrip
  EXPECT_EQ(text.substr(offsets[3].begin, offsets[3].end - offsets[3].begin), "<s>   ");  // rstrip
  // single_word: "ab" matches alone, not inside "xab".
  EXPECT_THAT(Ids(*tokenizer, "ab xab"), ElementsAre(7, 0));
}

TEST(HfPostProcessorTest, AddSpecialWrapsLikeThePostProcessor) {
  auto tokenizer = FromJson(kTinyBpe);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "ab", false, /*add_special=*/true), ElementsAre(4, 10));
  auto roberta = LoadTokenizer(Fixture("bytelevel_roberta"));
  ASSERT_THAT(roberta, IsOk());
  const std::vector<TokenId> plain = Ids(**roberta, "hello");
  const std::vector<TokenId> wrapped = Ids(**roberta, "hello", false, true);
  ASSERT_EQ(wrapped.size(), plain.size() + 2);
  EXPECT_EQ(std::vector<TokenId>(wrapped.begin() + 1, wrapped.end() - 1), plain);
  EXPECT_NE(wrapped.front(), wrapped.back());  // <s> ... </s>
}

TEST(HfTokenizerTest, OffsetsSliceBackThroughNormalizers) {
  // bpe_byte_fallback normalises " " to "▁" and prepends "▁": offsets still point into the
  // input, in order, and together cover it.
  auto tokenizer = LoadTokenizer(Fixture("bpe_byte_fallback"));
  ASSERT_THAT(tokenizer, IsOk());
  const std::string text = "The licence, naïve 日本 text\ttab 123.";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_EQ(ids.size(), offsets.size());
  uint32_t covered = 0;
  for (const TokenSpan& span : offsets) {
    EXPECT_LE(span.begin, span.end);
    EXPECT_LE(span.end, text.size());
    EXPECT_GE(span.begin, covered > 0 ? covered - 3 : 0u);  // byte-fallback pieces share a character
    covered = std::max(covered, span.end);
  }
  EXPECT_EQ(covered, text.size());
  // bytelevel_splits replaces runs of 4+ digits by "#": that token's span is the digits;
  // every other token's bytes are exactly its span.
  auto byte_level = LoadTokenizer(Fixture("bytelevel_splits"));
  ASSERT_THAT(byte_level, IsOk());
  ids.clear();
  offsets.clear();
  const std::string plain = "split, these words 2024 again";
  ASSERT_THAT((*byte_level)->Encode(plain, {}, &ids, &offsets), IsOk());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto piece = (*byte_level)->Decode(std::span<const TokenId>(&ids[i], 1));
    ASSERT_THAT(piece, IsOk());
    const std::string slice = plain.substr(offsets[i].begin, offsets[i].end - offsets[i].begin);
    EXPECT_EQ(*piece == "#" ? "2024" : *piece, slice);
  }
}

TEST(HfTokenizerTest, ByteLevelDecodeRoundTrips) {
  auto tokenizer = LoadTokenizer(Fixture("bytelevel_roberta"));
  ASSERT_THAT(tokenizer, IsOk());
  const std::string text = "Grüße, 世界! 🙂👩‍👩‍👧 1234567 \t\n end";
  const std::vector<TokenId> ids = Ids(**tokenizer, text);
  auto decoded = (*tokenizer)->Decode(ids);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(*decoded, " " + text);  // add_prefix_space put a space in front
}

TEST(HfTokenizerTest, ByteLevelDecodeReplacesCutCharactersAsHuggingFaceDoes) {
  auto tokenizer = LoadTokenizer(Fixture("bytelevel_roberta"));
  ASSERT_THAT(tokenizer, IsOk());
  // "世" is three byte tokens in this small vocabulary; decoding a prefix of them cuts it.
  const std::vector<TokenId> ids = Ids(**tokenizer, "x\xE4\xB8\x96y");
  ASSERT_GE(ids.size(), 4u);
  auto whole = (*tokenizer)->Decode(ids);
  ASSERT_THAT(whole, IsOk());
  EXPECT_EQ(*whole, " x\xE4\xB8\x96y");
  // Hugging Face's from_utf8_lossy: one U+FFFD per maximal invalid subpart, so the two
  // leading bytes of a three-byte character become one U+FFFD, not two.
  std::vector<TokenId> cut(ids.begin(), ids.end());
  cut.erase(cut.end() - 2);  // drop the last byte of "世"
  auto decoded = (*tokenizer)->Decode(cut);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(*decoded, " x\xEF\xBF\xBDy");
}

TEST(HfTokenizerTest, WordPieceTakesTheLongestPieceFirst) {
  auto tokenizer = FromJson(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]", "max_input_chars_per_word": 8,
      "vocab": {"[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "una": 4, "##ff": 5}},
    "pre_tokenizer": {"type": "BertPreTokenizer"}})");
  ASSERT_NE(tokenizer, nullptr);
  // "una" is longer than "un" but leaves "ffable", which does not finish: greedy does not
  // back off, so the word is [UNK]; "unaff..." cannot start with "un" + "##aff" either.
  EXPECT_THAT(Ids(*tokenizer, "unaffable"), ElementsAre(0));
  EXPECT_THAT(Ids(*tokenizer, "unaff"), ElementsAre(4, 5));
  EXPECT_THAT(Ids(*tokenizer, "un,una"), ElementsAre(1, 0, 4));  // ',' is not in the vocab
}

TEST(HfTokenizerTest, UnigramPicksTheBestScoringSegmentation) {
  auto tokenizer = FromJson(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [
      ["<unk>", 0.0], ["a", -1.0], ["b", -1.0], ["ab", -3.0], ["abc", -2.5], ["c", -1.0]]},
    "pre_tokenizer": {"type": "WhitespaceSplit"}})");
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "ab"), ElementsAre(1, 2));     // -2 beats -3
  EXPECT_THAT(Ids(*tokenizer, "abc"), ElementsAre(4));       // -2.5 beats -3
  EXPECT_THAT(Ids(*tokenizer, "axyb"), ElementsAre(1, 0, 2));  // unknowns fused
}

TEST(HfTokenizerTest, UnsupportedComponentsFailToLoad) {
  const simdjson::padded_string json(std::string(R"({"normalizer": {"type": "Precompiled", "precompiled_charsmap": ""},
    "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})"));
  EXPECT_THAT(HfTokenizer::FromJson("test", json),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("Precompiled")));
}

TEST(HfTokenizerTest, MalformedFilesFailWithAMessage) {
  auto load = [](const std::string& json) {
    return HfTokenizer::FromJson("bad", simdjson::padded_string(json));
  };
  EXPECT_THAT(load("{not json"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(load(R"({"normalizer": null})"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("model")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not in the vocab")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("gives a token not in the vocab")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "a": 2}, "merges": []}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ids 0 and 2 have the same bytes")));
  EXPECT_THAT(load(R"({"model": {"type": "WordLevel", "vocab": {"a": 0}}})"),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("WordLevel")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                      "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("pre_tokenizer")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                      "added_tokens": [{"id": 1, "special": true}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("content")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
                      "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}],
                                         "special_tokens": {}}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("<s>")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "dropout": 0.1}})"),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("dropout")));
}

// The loader reads merges some way ahead of the one it resolves: an error far down the list
// still names its merge, and a list longer than that window loads as written.
TEST(HfBpeTest, ABadMergeFarDownTheListIsNamed) {
  // Characters U+0100.. (one symbol each), and each followed by "x".
  auto letter = [](int i) { return std::string{static_cast<char>(0xC4 + i / 64), static_cast<char>(0x80 + i % 64)}; };
  auto bpe = [&](int bad_merge) {
    std::string vocab, merges;
    for (int i = 0; i < 40; ++i) {
      vocab += "\"" + letter(i) + "\": " + std::to_string(2 * i) + ", \"" + letter(i) + "x\": " + std::to_string(2 * i + 1) + ", ";
      merges += (i == 0 ? "[\"" : ", [\"") + letter(i) + (i == bad_merge ? "\", \"y\"]" : "\", \"x\"]");
    }
    return R"({"model": {"type": "BPE", "vocab": {)" + vocab + R"("x": 80, "y": 81}, "merges": [)" + merges + "]}}";
  };
  EXPECT_THAT(HfTokenizer::FromJson("test", simdjson::padded_string(bpe(30))),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("merge 30 gives a token not in the vocab")));
  auto tokenizer = FromJson(bpe(-1));
  EXPECT_EQ(Ids(*tokenizer, letter(5) + "x"), (std::vector<TokenId>{11}));
  EXPECT_EQ(Ids(*tokenizer, letter(39) + "x" + letter(0)), (std::vector<TokenId>{79, 0}));
}

// A BPE's vocab and merges are read in place from the file's text (model_tables.h); escaped
// tokens, both merge forms, any order of the keys and spacing read as the DOM reads them,
// and a fault in the tables is named as the DOM reading names it.
TEST(HfBpeTest, TablesReadInPlaceAsTheDomReadsThem) {
  const std::string json = R"({"model": {"merges" : [ ["q", "\""], ["a", "b"] , "ab c", ["\u0071\"", "a"] ],
      "type": "BPE", "vocab" : {"a": 0, "\u0062": 1, "c": 2, "ab": 3, "abc": 4, "q\"": 5, "q\"a": 6, "q": 7, "\"": 8}},
      "pre_tokenizer": null})";
  const simdjson::padded_string padded(json);
  const std::optional<SplitDocument> split = SplitModelTables(padded);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(std::string_view(split->rest.data(), split->rest.size()),
            R"({"model": {"merges" : [],
      "type": "BPE", "vocab" : {}},
      "pre_tokenizer": null})");
  EXPECT_EQ(split->tables.vocab.front(), '{');
  EXPECT_EQ(split->tables.merges.back(), ']');
  // The tables alone make the model (FromJson would fall back to the DOM quietly).
  simdjson::dom::parser parser;
  Json rest;
  ASSERT_EQ(parser.parse(split->rest).get(rest), simdjson::SUCCESS);
  auto bpe = BpeModel::Create(rest["model"].value_unsafe(), false, &split->tables);
  ASSERT_THAT(bpe, IsOk());
  EXPECT_EQ((*bpe)->entry_count(), 9u);
  EXPECT_EQ((*bpe)->TokenToId("q\"a"), 6u);
  std::vector<ModelToken> merged;
  (*bpe)->Encode("abcq\"a", &merged);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].id, 4u);
  EXPECT_EQ(merged[1].id, 6u);
  auto tokenizer = FromJson(json);
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_EQ(Ids(*tokenizer, "abc"), (std::vector<TokenId>{4}));
  EXPECT_EQ(Ids(*tokenizer, "q\"ab"), (std::vector<TokenId>{5, 3}));
  EXPECT_EQ(Ids(*tokenizer, "q\"a"), (std::vector<TokenId>{6}));

  auto load = [](const std::string& text) { return HfTokenizer::FromJson("bad", simdjson::padded_string(text)); };
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"], ["a", 5]]}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("merge 1 is not a pair of strings")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": -1}, "merges": []}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("vocab entry \"b\" has no valid id")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["ab"]}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("merge \"ab\" is not two tokens")));
  EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a" "a"]]}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  // A model that is not BPE but has both keys reads its vocabulary from the DOM.
  EXPECT_THAT(load(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}, "merges": []}})"), IsOk());
  // Bytes that are not UTF-8 in a merge are refused as the DOM refuses them, whether the
  // merge's tokens are looked up as written or decoded from the byte alphabet (an overlong
  // "a" is not "a").
  const std::string byte_level = R"("pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false,
      "trim_offsets": true, "use_regex": true})";
  for (const std::string& pre : {std::string(R"("pre_tokenizer": null)"), byte_level}) {
    EXPECT_THAT(load(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [[")" + std::string("\xC1\xA1") +
                         R"(", "b"]]}, )" + pre + "}"),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("not valid JSON"))) << pre;
    EXPECT_THAT(load(R"({)" + pre + R"(, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]]}})"), IsOk()) << pre;
  }
  // A file that ends with its merges has them read to its end; text after the array's
  // own closing bracket (here a second "merges", which the DOM ignores) is read by the DOM.
  auto twice = FromJson(R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a", "b"]], "merges": []}})");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(Ids(*twice, "ab"), (std::vector<TokenId>{2}));
}

// With continuing_subword_prefix a word's later characters carry the prefix, and a merge's
// result drops the prefix of its right part (Hugging Face's BPE: a + b[prefix..]).
TEST(HfBpeTest, AMergeDropsTheContinuingSubwordPrefix) {
  auto tokenizer = FromJson(R"({"model": {"type": "BPE", "continuing_subword_prefix": "##",
      "vocab": {"a": 0, "b": 1, "##b": 2, "ab": 3, "##a": 4}, "merges": [["a", "##b"]]}})");
  EXPECT_EQ(Ids(*tokenizer, "ab"), (std::vector<TokenId>{3}));
  EXPECT_EQ(Ids(*tokenizer, "ba"), (std::vector<TokenId>{1, 4}));
}

TEST(HfTokenizerTest, LoadsAFolderHoldingTokenizerJson) {
  testing::TempDir dir;
  std::filesystem::copy_file(Fixture("wordpiece_bert"), dir.path() / "tokenizer.json");
  auto tokenizer = LoadTokenizer(dir.path().string());
  ASSERT_THAT(tokenizer, IsOk());
  EXPECT_FALSE(Ids(**tokenizer, "the license").empty());
}

TEST(HfTokenizerTest, LongRunsAreNearLinear) {
  // 1 MB of one character, of spaces, of digits and of newlines, on a byte-level BPE (one
  // pre-token per run) and on a Llama-2 style BPE (the whole run is one word).
  for (const char* fixture : {"bytelevel_roberta", "bpe_byte_fallback", "unigram_metaspace"}) {
    auto tokenizer = LoadTokenizer(Fixture(fixture));
    ASSERT_THAT(tokenizer, IsOk());
    for (const char c : {'a', ' ', '7', '\n'}) {
      const std::string text(1 << 20, c);
      std::vector<TokenId> ids;
      // CPU time of this thread: the test machine is shared, and wall time counts the waits.
      const double start = ThreadCpuSeconds();
      ASSERT_THAT((*tokenizer)->Encode(text, {}, &ids), IsOk());
      const double seconds = ThreadCpuSeconds() - start;
      EXPECT_LT(seconds, 1.0) << fixture << " run of '" << c << "'";
      // (unigram_metaspace strips white space: its runs of spaces and newlines are empty.)
      if (c == 'a' || c == '7') {
        EXPECT_FALSE(ids.empty()) << fixture;
      }
    }
  }
}

TEST(HfTokenizerTest, OneTokenizerServesManyThreads) {
  // The tokenizer is immutable and shared; each thread has its own word cache and scratch.
  auto tokenizer = LoadTokenizer(Fixture("bpe_byte_fallback"));
  ASSERT_THAT(tokenizer, IsOk());
  std::vector<std::string> texts;
  for (int i = 0; i < 64; ++i) {
    texts.push_back("Document " + std::to_string(i) + ": the licence terms, naïve façade " +
                    std::string(static_cast<size_t>(i * 7), 'x') + " 日本語 " + std::to_string(i * i));
  }
  std::vector<std::vector<TokenId>> expected;
  for (const std::string& text : texts) expected.push_back(Ids(**tokenizer, text));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < texts.size(); ++i) {
          const size_t k = (i + static_cast<size_t>(t) * 13 + static_cast<size_t>(round)) % texts.size();
          std::vector<TokenId> ids;
          if (!(*tokenizer)->Encode(texts[k], {}, &ids).ok() || ids != expected[k]) ++mismatches;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(HfNormalizerTest, CodePointsNewerThanHuggingFaceTablesStayInert) {
  // U+1DFA (Unicode 14, class 218) is unknown to Hugging Face's tables: it does not move in
  // front of U+0301, which then composes with 'a'. Unicode 15 would reorder and block that.
  AlignedText in, out;
  in.Reset("a\xCC\x81\xE1\xB7\xBA", 0, 6, false);
  out.Clear(false);
  ASSERT_THAT(Normalize(UnicodeForm{true, false}, in, NormalizedSizeLimit(in.text.size()), &out), IsOk());
  EXPECT_EQ(out.text, "\xC3\xA1\xE1\xB7\xBA");
  // A known combining mark still composes.
  in.Reset("e\xCC\x81", 0, 3, false);
  out.Clear(false);
  ASSERT_THAT(Normalize(UnicodeForm{true, false}, in, NormalizedSizeLimit(in.text.size()), &out), IsOk());
  EXPECT_EQ(out.text, "\xC3\xA9");
}

TEST(HfPatternTest, Qwen2ScannerMatchesTheRegex) {
  auto scanner = Pattern::Create({true, std::string(kQwen2Pattern)});
  // The same pattern in a group is not recognised as a scanner pattern: PCRE2 runs it.
  auto regex = Pattern::Create({true, "(?:" + std::string(kQwen2Pattern) + ")"});
  ASSERT_THAT(scanner, IsOk());
  ASSERT_THAT(regex, IsOk());
  for (const std::string text : {"Hello world's  end\n\n12345 !!\n", "I'M (x) \t 3.14 \xD9\xA3\xD9\xA4 ",
                                 "\xE4\xB8\xAD\xE6\x96\x87 abc\r\n\r\n  x", "a1b22c333 '' 's 'S"}) {
    std::vector<Piece> a, b;
    ASSERT_THAT((*scanner)->Find(text, &a), IsOk());
    ASSERT_THAT((*regex)->Find(text, &b), IsOk());
    ASSERT_EQ(a.size(), b.size()) << text;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].begin, b[i].begin);
      EXPECT_EQ(a[i].end, b[i].end);
    }
  }
}

}  // namespace
}  // namespace tunepack::tokenize::hf

namespace tunepack::tokenize::hf {
namespace {

// A byte-level-free BPE over "ab" whose normalizer and pre-tokenizer the tests below set.
std::string BpeWith(const std::string& components) {
  return R"({"model": {"type": "BPE", "unk_token": "<unk>", "vocab": {"<unk>": 0, "a": 1, "b": 2, "x": 3},
             "merges": []}, )" + components + "}";
}

TEST(HfLimitsTest, ARegexThatGivesUpIsAnErrorNotDifferentIds) {
  // (a+)+$ backtracks exponentially on a run of a's that ends in b: PCRE2 stops at its match
  // limit. The matches found before that point would split the text differently from
  // Hugging Face, so Encode fails, naming the cause.
  auto tokenizer = FromJson(BpeWith(
      R"("pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(a+)+$|a"}, "behavior": "Isolated"})"));
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "aab"), ElementsAre(1, 1, 2));  // a short run still matches
  const auto start = std::chrono::steady_clock::now();
  std::vector<TokenId> ids;
  EXPECT_THAT(tokenizer->Encode(std::string(24, 'a') + "b", {}, &ids),
              StatusIs(StatusCode::kResourceExhausted, AllOf(HasSubstr("regex gave up"), HasSubstr("limit"))));
  EXPECT_THAT(tokenizer->Count(std::string(24, 'a') + "b", {}), StatusIs(StatusCode::kResourceExhausted, ::testing::_));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // The same through a Replace normalizer's pattern.
  auto replace = FromJson(BpeWith(
      R"("normalizer": {"type": "Replace", "pattern": {"Regex": "(a+)+$|a"}, "content": "b"})"));
  ASSERT_NE(replace, nullptr);
  EXPECT_THAT(replace->Encode(std::string(24, 'a') + "b", {}, &ids), StatusIs(StatusCode::kResourceExhausted, ::testing::_));
}

TEST(HfLimitsTest, ChainedReplaceNormalizersAreBoundedNotGigabytes) {
  // Ten Replace steps, each turning "a" into eight: 8^10 times the input if run. The first
  // step past the limit (16x the input plus 4 KiB) fails, before building its output.
  std::string steps;
  for (int i = 0; i < 10; ++i) {
    if (i != 0) steps += ", ";
    steps += R"({"type": "Replace", "pattern": {"String": "a"}, "content": "aaaaaaaa"})";
  }
  auto tokenizer = FromJson(BpeWith(R"("normalizer": {"type": "Sequence", "normalizers": [)" + steps + "]}"));
  ASSERT_NE(tokenizer, nullptr);
  std::vector<TokenId> ids;
  EXPECT_THAT(tokenizer->Encode(std::string(1000, 'a'), {}, &ids),
              StatusIs(StatusCode::kResourceExhausted, HasSubstr("normalizer grows the text")));
  EXPECT_TRUE(ids.empty());
  // One step of 8x is within the limit and encodes as Hugging Face would.
  auto one = FromJson(BpeWith(R"("normalizer": {"type": "Replace", "pattern": {"String": "b"}, "content": "aaaaaaaa"})"));
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(Ids(*one, "bx").size(), 9u);
}

TEST(HfLimitsTest, AReplaceDecoderIsBounded) {
  std::string steps;
  for (int i = 0; i < 12; ++i) {
    if (i != 0) steps += ", ";
    steps += R"({"type": "Replace", "pattern": {"String": "a"}, "content": "aaaaaaaa"})";
  }
  auto tokenizer = FromJson(BpeWith(R"("decoder": {"type": "Sequence", "decoders": [)" + steps + "]}"));
  ASSERT_NE(tokenizer, nullptr);
  const std::vector<TokenId> ids(100, 1);
  EXPECT_THAT(tokenizer->Decode(ids), StatusIs(StatusCode::kResourceExhausted, HasSubstr("Replace decoder")));
}

TEST(HfLimitsTest, AMetaspaceReplacementIsOneCharacter) {
  const simdjson::padded_string json(BpeWith(
      R"("pre_tokenizer": {"type": "Metaspace", "replacement": "0123456789", "prepend_scheme": "always"})"));
  EXPECT_THAT(HfTokenizer::FromJson("test", json),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("one character")));
}

TEST(HfLimitsTest, DeeplyNestedJsonIsAClearErrorNotAStackOverflow) {
  // 100,000 levels of arrays in a field, and Sequence normalizers nested as deep as the
  // parser allows: an error each, never a crash.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THAT(HfTokenizer::FromJson("deep", simdjson::padded_string(BpeWith(R"("normalizer": )" + deep))),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  auto nest = [](int depth) {
    std::string nested;
    for (int i = 0; i < depth; ++i) nested += R"({"type": "Sequence", "normalizers": [)";
    nested += R"({"type": "Lowercase"})";
    for (int i = 0; i < depth; ++i) nested += "]}";
    return nested;
  };
  const std::string nested = nest(100000);
  EXPECT_THAT(HfTokenizer::FromJson("deep", simdjson::padded_string(BpeWith(R"("normalizer": )" + nested))),
              StatusIs(StatusCode::kInvalidArgument, ::testing::_));
  // Within the parser's depth the nesting loads and runs.
  auto tokenizer = FromJson(BpeWith(R"("normalizer": )" + nest(200)));
  ASSERT_NE(tokenizer, nullptr);
  EXPECT_THAT(Ids(*tokenizer, "AB"), ElementsAre(1, 2));
}

TEST(HfLimitsTest, SpecialFilesAndHugeFilesAreRefusedBeforeReading) {
  EXPECT_THAT(LoadTokenizer("/dev/zero"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
  testing::TempDir dir;
  const std::string fifo = (dir.path() / "tokenizer.json").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THAT(LoadTokenizer(fifo), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
  EXPECT_THAT(LoadTokenizer(dir.path().string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
}

}  // namespace
}  // namespace tunepack::tokenize::hf
