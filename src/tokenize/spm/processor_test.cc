// tunepack's own SentencePiece (spm::Processor, behind SentencePieceTokenizer) against
// libsentencepiece itself, in process: models trained here with every normaliser setting
// and kind of piece the three real models of the parity test lack (user-defined and
// control symbols, nmt_nfkc_cf, kept and unescaped spaces, pieces that span words,
// no byte fallback), and texts built to reach the corner cases (runs of spaces, NFKC
// rewrites, emoji through byte fallback, unknown characters, bytes that are not UTF-8).
// Ids, offsets and decoded text must all be the library's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sentencepiece_processor.h>

#include <random>
#include <string>
#include <vector>

#include "support/status_matchers.h"
#include "tokenize/spm/processor.h"
#include "tokenize/spm/sentencepiece_tokenizer.h"
#include "tokenize/spm/test_models.h"

namespace tunepack::tokenize {
namespace {

using testing::IsOk;
using testing::StatusIs;

struct TrainedModel {
  const char* name;
  std::unordered_map<std::string, std::string> flags;
  // Appended to the serialized model: protobuf merges a repeated message field, so this
  // can change a setting the trainers refuse.
  std::string appended = "";
};

// normalizer_spec (field 3) { escape_whitespaces (field 5): false }.
const std::string kUnescapedSpaces("\x1A\x02\x28\x00", 4);

std::vector<TrainedModel> Models() {
  return {
      {"bpe_bytes_user", {{"model_type", "bpe"}, {"byte_fallback", "true"},
                          {"normalization_rule_name", "identity"}, {"user_defined_symbols", "<sep>"}}},
      {"unigram_nfkc_control", {{"model_type", "unigram"}, {"control_symbols", "[CLS]"},
                                {"user_defined_symbols", "<sep>,pack"}}},
      {"unigram_cf_kept_spaces", {{"model_type", "unigram"}, {"normalization_rule_name", "nmt_nfkc_cf"},
                                  {"remove_extra_whitespaces", "false"}, {"add_dummy_prefix", "false"},
                                  {"byte_fallback", "true"}}},
      {"bpe_across_words", {{"model_type", "bpe"}, {"split_by_whitespace", "false"},
                            {"user_defined_symbols", "<sep>"}, {"vocab_size", "600"}}},
      // Both trainers refuse unescaped spaces: the setting is changed after training.
      {"bpe_unescaped", {{"model_type", "bpe"}, {"remove_extra_whitespaces", "false"},
                         {"byte_fallback", "true"}}, kUnescapedSpaces},
      {"unigram_unescaped", {{"model_type", "unigram"}}, kUnescapedSpaces},
      {"unigram_whole_words", {{"model_type", "unigram"}, {"split_by_whitespace", "false"},
                               {"vocab_size", "600"}}},
      // Self-test samples: libsentencepiece checks them at load, then the native code runs.
      {"bpe_self_test", {{"model_type", "bpe"}, {"self_test_sample_size", "20"}}},
  };
}

// Fragments that random texts are made of: the training words, spaces of every kind, text
// NFKC rewrites, characters no model has seen, symbols, and bytes that are not UTF-8.
const std::vector<std::string>& Fragments() {
  static const std::vector<std::string> fragments = {
      "hello", "world", "tune", "pack", "data", "set", "sentence", "caf\xC3\xA9", "na\xC3\xAFve",
      "\xE6\x9D\xB1\xE4\xBA\xAC", "\xD0\xBC\xD0\xB8\xD1\x80", " ", " ", " ", "  ", "     ", "\t",
      "\n", "\r\n", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\x83",  // NBSP, ideographic, em space
      "\xEF\xBD\x88\xEF\xBD\x89", "\xEF\xAC\x81", "\xE2\x91\xA0", "\xE2\x84\xAB",  // ｈｉ ﬁ ① Å
      "e\xCC\x81", "\xEF\xBE\x8A\xEF\xBE\x9F", "\xC3\x9F", "HELLO", "World",  // e+acute, ﾊﾟ, ß
      "\xF0\x9F\x98\x80", "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB", "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA",
      "\xE2\x96\x81", "\xE2\x96\x81\xE2\x96\x81", "<sep>", "[CLS]", "<s>", "</s>", "<unk>",
      "\xEF\xBF\xBD", "\xFF", "\xC3", "\xED\xA0\x80", "\xF4\x90\x80\x80", std::string("\0", 1),
      "0123456789", "7", ".", "-", "\xEA\xB0\x80", "\xD8\xA7\xD9\x84", "\xE2\x80\x8B", "\xEF\xBB\xBF",
      "\x01", "\x7F", "\xCC\x81\xCC\x81"};
  return fragments;
}

std::vector<std::string> Texts() {
  std::vector<std::string> texts = {
      "", " ", "   ", "\t\n", "hello", " hello", "hello ", "  hello   world  ", "<sep>", " <sep> ",
      "hello<sep>world", "pack<sep>pack", std::string(3000, ' ') + "x", std::string(5000, 'a'),
      "\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F   world", "\xFF\xFE hello",
      "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 data", "\xE2\x96\x81hello\xE2\x96\x81\xE2\x96\x81world"};
  std::mt19937 random(20261206);
  const auto& fragments = Fragments();
  for (int i = 0; i < 400; ++i) {
    std::string text;
    const int count = 1 + static_cast<int>(random() % 24);
    for (int j = 0; j < count; ++j) text += fragments[random() % fragments.size()];
    texts.push_back(text);
  }
  return texts;
}

class ProcessorParityTest : public ::testing::TestWithParam<size_t> {};

TEST_P(ProcessorParityTest, IdsOffsetsAndDecodingAreSentencePiecesOwn) {
  const TrainedModel trained = Models()[GetParam()];
  const std::string model = TrainModel(trained.flags, MixedTrainingLines()) + trained.appended;
  sentencepiece::SentencePieceProcessor reference;
  ASSERT_TRUE(reference.LoadFromSerializedProto(model).ok());
  auto created = SentencePieceTokenizer::Create(trained.name, model);
  ASSERT_THAT(created, IsOk());
  const auto& tokenizer = dynamic_cast<const SentencePieceTokenizer&>(**created);
  ASSERT_TRUE(tokenizer.native()) << trained.name;
  for (const std::string& text : Texts()) {
    sentencepiece::ImmutableSentencePieceText expected;
    ASSERT_TRUE(reference.Encode(text, expected.mutable_proto()).ok());
    std::vector<TokenId> ids;
    std::vector<TokenSpan> offsets;
    ASSERT_THAT(tokenizer.Encode(text, {}, &ids, &offsets), IsOk());
    std::vector<TokenId> expected_ids;
    std::vector<TokenSpan> expected_offsets;
    for (size_t i = 0; i < expected.pieces_size(); ++i) {
      const auto piece = expected.pieces(static_cast<int>(i));
      expected_ids.push_back(piece.id());
      expected_offsets.push_back(TokenSpan{piece.begin(), piece.end()});
    }
    ASSERT_EQ(ids, expected_ids) << trained.name << " on \"" << text << "\"";
    for (size_t i = 0; i < offsets.size(); ++i) {
      ASSERT_EQ(offsets[i].begin, expected_offsets[i].begin) << trained.name << " on \"" << text << "\" token " << i;
      ASSERT_EQ(offsets[i].end, expected_offsets[i].end) << trained.name << " on \"" << text << "\" token " << i;
    }
    std::vector<TokenId> ids_only;
    ASSERT_THAT(tokenizer.Encode(text, {}, &ids_only), IsOk());
    ASSERT_EQ(ids_only, ids);
    std::string expected_text;
    ASSERT_TRUE(reference.Decode(std::vector<int>(ids.begin(), ids.end()), &expected_text).ok());
    auto decoded = tokenizer.Decode(ids);
    ASSERT_THAT(decoded, IsOk());
    ASSERT_EQ(*decoded, expected_text) << trained.name << " on \"" << text << "\"";
  }
  // Any id sequence decodes as SentencePiece decodes it: control and unknown pieces, byte
  // pieces that are not UTF-8 together, "▁" at the start or not.
  std::mt19937 random(7);
  const auto vocab = static_cast<uint32_t>(tokenizer.vocab_size());
  for (int i = 0; i < 300; ++i) {
    std::vector<TokenId> ids(1 + random() % 12);
    for (TokenId& id : ids) id = static_cast<TokenId>(random() % (i % 2 == 0 ? vocab : 12));
    std::string expected_text;
    ASSERT_TRUE(reference.Decode(std::vector<int>(ids.begin(), ids.end()), &expected_text).ok());
    auto decoded = tokenizer.Decode(ids);
    ASSERT_THAT(decoded, IsOk());
    ASSERT_EQ(*decoded, expected_text) << trained.name << " decoding sequence " << i;
  }
}

// Appends the UTF-8 of `cp` (below U+10000) to `text`.
void AppendUtf8(char32_t cp, std::string& text) {
  if (cp < 0x80) {
    text += static_cast<char>(cp);
  } else if (cp < 0x800) {
    text += static_cast<char>(0xC0 | (cp >> 6));
    text += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    text += static_cast<char>(0xE0 | (cp >> 12));
    text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    text += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Every character of two and three bytes goes through the normaliser's table of characters
// that stay as they are: alone between letters, and before combining marks that compose
// with letters (acute, breve, diaeresis, the kana voiced mark), where NFKC rewrites the
// pair. Ids and offsets must be libsentencepiece's, for nmt_nfkc and nmt_nfkc_cf.
TEST(ProcessorWideCharacterTest, EveryCharacterOfTwoAndThreeBytesIsNormalisedAsSentencePieceDoes) {
  for (const size_t model_index : {size_t{1}, size_t{2}}) {
    const TrainedModel trained = Models()[model_index];
    const std::string model = TrainModel(trained.flags, MixedTrainingLines()) + trained.appended;
    sentencepiece::SentencePieceProcessor reference;
    ASSERT_TRUE(reference.LoadFromSerializedProto(model).ok());
    auto created = SentencePieceTokenizer::Create(trained.name, model);
    ASSERT_THAT(created, IsOk());
    ASSERT_TRUE(dynamic_cast<const SentencePieceTokenizer&>(**created).native());
    std::string text;
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;  // surrogates are no characters
      for (const char32_t next : {char32_t{'a'}, char32_t{0x301}, char32_t{0x306}, char32_t{0x308}, char32_t{0x3099}}) {
        AppendUtf8(cp, text);
        AppendUtf8(next, text);
        text += ' ';
      }
      if (cp % 256 != 255 && cp != 0xFFFF) continue;
      sentencepiece::ImmutableSentencePieceText expected;
      ASSERT_TRUE(reference.Encode(text, expected.mutable_proto()).ok());
      std::vector<TokenId> ids;
      std::vector<TokenSpan> offsets;
      ASSERT_THAT((*created)->Encode(text, {}, &ids, &offsets), IsOk());
      ASSERT_EQ(ids.size(), expected.pieces_size()) << trained.name << " up to U+" << std::hex << static_cast<uint32_t>(cp);
      for (size_t i = 0; i < ids.size(); ++i) {
        const auto piece = expected.pieces(static_cast<int>(i));
        ASSERT_EQ(ids[i], piece.id()) << trained.name << " up to U+" << std::hex << static_cast<uint32_t>(cp) << ", token " << i;
        ASSERT_EQ(offsets[i].begin, piece.begin()) << trained.name << " up to U+" << std::hex << static_cast<uint32_t>(cp);
        ASSERT_EQ(offsets[i].end, piece.end()) << trained.name << " up to U+" << std::hex << static_cast<uint32_t>(cp);
      }
      text.clear();
    }
  }
}

TEST(ProcessorFallbackTest, AModelWithWhitespaceAsSuffixRunsOnLibsentencepiece) {
  // Not implemented natively: the tokenizer says so and gives the library's ids.
  const std::string model =
      TrainModel({{"model_type", "unigram"}, {"treat_whitespace_as_suffix", "true"}}, MixedTrainingLines());
  sentencepiece::SentencePieceProcessor reference;
  ASSERT_TRUE(reference.LoadFromSerializedProto(model).ok());
  auto created = SentencePieceTokenizer::Create("suffix.model", model);
  ASSERT_THAT(created, IsOk());
  const auto& tokenizer = dynamic_cast<const SentencePieceTokenizer&>(**created);
  EXPECT_FALSE(tokenizer.native());
  for (const std::string& text : {std::string("hello world  data"), std::string(" caf\xC3\xA9 set ")}) {
    std::vector<int> expected;
    ASSERT_TRUE(reference.Encode(text, &expected).ok());
    std::vector<TokenId> ids;
    ASSERT_THAT(tokenizer.Encode(text, {}, &ids), IsOk());
    EXPECT_EQ(ids, std::vector<TokenId>(expected.begin(), expected.end()));
  }
}

TEST(ProcessorVocabularyTest, ARepeatedPieceIsRefusedWithItsIdWhateverIndexesThePieces) {
  // The BPE model and a unigram model with unused pieces index every producible piece; a
  // unigram model without finds repeats while its trie is built. The message is the same.
  using SentencePieceType::kNormal;
  using SentencePieceType::kUnused;
  using SentencePieceType::kUserDefined;
  struct Case {
    SentencePieceModelType model_type;
    std::vector<SentencePieceEntry> more_pieces;
    uint32_t repeat_id;
  };
  const std::vector<Case> cases = {
      {SentencePieceModelType::kUnigram, {{"ab", -1, kNormal}, {"b", -2, kNormal}, {"ab", -3, kNormal}}, 4},
      {SentencePieceModelType::kUnigram, {{"b", -1, kNormal}, {"<x>", 0, kUserDefined}, {"b", -3, kUserDefined}}, 4},
      {SentencePieceModelType::kUnigram, {{"ab", -1, kNormal}, {"b", -2, kUnused}, {"b", -3, kNormal}}, 4},
      {SentencePieceModelType::kBpe, {{"ab", -1, kNormal}, {"b", -2, kNormal}, {"ab", -3, kNormal}}, 4},
  };
  for (const Case& test : cases) {
    SentencePieceModelProto model;
    model.model_type = test.model_type;
    model.pieces = {{"<unk>", 0, SentencePieceType::kUnknown}, {"a", -1, kNormal}};
    model.pieces.insert(model.pieces.end(), test.more_pieces.begin(), test.more_pieces.end());
    EXPECT_THAT(spm::Processor::Create(model),
                StatusIs(StatusCode::kInvalidArgument,
                         ::testing::HasSubstr("SentencePiece pieces: two ranks share the same bytes (rank " +
                                              std::to_string(test.repeat_id) + ")")))
        << model.pieces.size() << " pieces";
    model.pieces.pop_back();  // without the repeat the model loads
    EXPECT_THAT(spm::Processor::Create(model), IsOk()) << model.pieces.size() << " pieces";
  }
}

INSTANTIATE_TEST_SUITE_P(TrainedModels, ProcessorParityTest, ::testing::Range<size_t>(0, Models().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return std::string(Models()[info.param].name);
                         });

}  // namespace
}  // namespace tunepack::tokenize
