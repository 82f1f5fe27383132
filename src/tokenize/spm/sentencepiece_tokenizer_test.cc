// Unit tests of the SentencePiece wrapper on small models trained here with
// libsentencepiece's trainer, so that every kind of piece (control, user-defined, byte) is
// present and nothing binary is committed. Ids of real models are checked against
// python3-sentencepiece by the tokenize_spm_parity test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sentencepiece_processor.h>

#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tokenize/spm/model_proto.h"
#include "tokenize/spm/test_models.h"
#include "tokenize/spm/sentencepiece_tokenizer.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using testing::IsOk;
using testing::StatusIs;

// BPE with byte fallback, identity normalisation, a user-defined <sep>, BOS 1 and EOS 2.
const std::string& BpeModel() {
  static const std::string* model = new std::string(TrainModel({{"model_type", "bpe"},
                                                                {"byte_fallback", "true"},
                                                                {"normalization_rule_name", "identity"},
                                                                {"user_defined_symbols", "<sep>"}}));
  return *model;
}

// Unigram without BOS/EOS and with a control symbol [CLS].
const std::string& UnigramModel() {
  static const std::string* model = new std::string(TrainModel({{"model_type", "unigram"},
                                                                {"bos_id", "-1"},
                                                                {"eos_id", "-1"},
                                                                {"control_symbols", "[CLS]"}}));
  return *model;
}

std::shared_ptr<const Tokenizer> Load(const std::string& model) {
  auto tokenizer = SentencePieceTokenizer::Create("test.model", model);
  EXPECT_THAT(tokenizer, IsOk());
  return *tokenizer;
}

std::vector<TokenId> Ids(const Tokenizer& tokenizer, std::string_view text, bool allow_special,
                         bool add_special = false) {
  std::vector<TokenId> ids;
  EncodeOptions options;
  options.allow_special = allow_special;
  options.add_special = add_special;
  EXPECT_THAT(tokenizer.Encode(text, options, &ids), IsOk());
  return ids;
}

TokenId SpecialId(const Tokenizer& tokenizer, std::string_view piece) {
  for (const auto& [text, id] : tokenizer.special_tokens()) {
    if (text == piece) return id;
  }
  ADD_FAILURE() << "no special token " << piece;
  return 0;
}

TEST(SentencePieceModelProtoTest, ReadsPieceTypes) {
  auto pieces = ReadSentencePieces(BpeModel());
  ASSERT_THAT(pieces, IsOk());
  sentencepiece::SentencePieceProcessor processor;
  ASSERT_TRUE(processor.LoadFromSerializedProto(BpeModel()).ok());
  ASSERT_EQ(pieces->size(), static_cast<size_t>(processor.GetPieceSize()));
  for (size_t id = 0; id < pieces->size(); ++id) {
    const SentencePieceEntry& entry = (*pieces)[id];
    EXPECT_EQ(entry.piece, processor.IdToPiece(static_cast<int>(id)));
    EXPECT_EQ(entry.type == SentencePieceType::kControl, processor.IsControl(static_cast<int>(id)));
    EXPECT_EQ(entry.type == SentencePieceType::kByte, processor.IsByte(static_cast<int>(id)));
  }
  EXPECT_EQ((*pieces)[processor.PieceToId("<sep>")].type, SentencePieceType::kUserDefined);
}

TEST(SentencePieceModelProtoTest, RejectsTruncatedBytes) {
  EXPECT_THAT(ReadSentencePieces(BpeModel().substr(0, 7)), StatusIs(StatusCode::kDataLoss, HasSubstr("malformed")));
}

TEST(SentencePieceTokenizerTest, IdsAreSentencePiecesOwn) {
  sentencepiece::SentencePieceProcessor processor;
  ASSERT_TRUE(processor.LoadFromSerializedProto(BpeModel()).ok());
  const std::string text = "hello tunepack world, a data set\tof pieces";
  std::vector<int> expected;
  ASSERT_TRUE(processor.Encode(text, &expected).ok());
  const auto tokenizer = Load(BpeModel());
  const std::vector<TokenId> ids = Ids(*tokenizer, text, false);
  EXPECT_EQ(std::vector<TokenId>(expected.begin(), expected.end()), ids);
  EXPECT_EQ(tokenizer->vocab_size(), static_cast<size_t>(processor.GetPieceSize()));
}

TEST(SentencePieceTokenizerTest, OffsetsSliceBackToTheText) {
  const auto tokenizer = Load(BpeModel());
  const std::string text = "hello world  tune pack";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT(tokenizer->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_EQ(ids.size(), offsets.size());
  std::string joined;
  uint32_t previous_end = 0;
  for (const TokenSpan& span : offsets) {
    EXPECT_EQ(span.begin, previous_end);
    joined += text.substr(span.begin, span.end - span.begin);
    previous_end = span.end;
  }
  EXPECT_EQ(joined, text);
}

TEST(SentencePieceTokenizerTest, OffsetsReferToTheTextBeforeNormalisation) {
  // The unigram model normalises with nmt_nfkc: fullwidth letters become ASCII and runs of
  // spaces collapse, yet spans are bytes of the caller's text.
  const auto tokenizer = Load(UnigramModel());
  const std::string text = "\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F   world";
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT(tokenizer->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_EQ(ids, Ids(*tokenizer, "hello world", false));
  ASSERT_FALSE(offsets.empty());
  EXPECT_EQ(offsets.front().begin, 0u);
  EXPECT_EQ(offsets.back().end, text.size());
  for (size_t index = 1; index < offsets.size(); ++index) {
    EXPECT_LE(offsets[index - 1].end, offsets[index].begin);
  }
  // "world" is the last token(s): its bytes are the input's last five.
  EXPECT_GE(offsets.back().begin, text.size() - 6);
}

TEST(SentencePieceTokenizerTest, ByteFallbackSpansTheCharacterOnItsLastByte) {
  const auto tokenizer = Load(BpeModel());
  const std::string text = "data \xF0\x9F\x98\x80";  // U+1F600 is not in the training text
  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  ASSERT_THAT(tokenizer->Encode(text, {}, &ids, &offsets), IsOk());
  ASSERT_GE(ids.size(), 4u);
  const size_t first_byte = ids.size() - 4;
  sentencepiece::SentencePieceProcessor processor;
  ASSERT_TRUE(processor.LoadFromSerializedProto(BpeModel()).ok());
  for (size_t index = first_byte; index < ids.size(); ++index) {
    EXPECT_TRUE(processor.IsByte(static_cast<int>(ids[index])));
  }
  EXPECT_EQ(processor.IdToPiece(static_cast<int>(ids[first_byte])), "<0xF0>");
  for (size_t index = first_byte; index + 1 < ids.size(); ++index) {
    EXPECT_EQ(offsets[index].begin, 5u);
    EXPECT_EQ(offsets[index].end, 5u);
  }
  EXPECT_EQ(offsets.back().begin, 5u);
  EXPECT_EQ(offsets.back().end, 9u);
  auto decoded = tokenizer->Decode(ids);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(*decoded, text);
}

TEST(SentencePieceTokenizerTest, ListsControlUnknownAndUserDefinedPieces) {
  const auto bpe = Load(BpeModel());
  EXPECT_THAT(bpe->special_tokens(), Contains(Pair("<unk>", 0)));
  EXPECT_THAT(bpe->special_tokens(), Contains(Pair("<s>", 1)));
  EXPECT_THAT(bpe->special_tokens(), Contains(Pair("</s>", 2)));
  EXPECT_THAT(bpe->special_tokens(), Contains(Pair("<sep>", 3)));
  const auto unigram = Load(UnigramModel());
  EXPECT_THAT(unigram->special_tokens(), Contains(Pair("[CLS]", SpecialId(*unigram, "[CLS]"))));
  EXPECT_THAT(unigram->special_tokens(), Not(Contains(Pair("<s>", ::testing::_))));
}

TEST(SentencePieceTokenizerTest, ControlSymbolsAreTextUnlessAllowed) {
  const auto tokenizer = Load(BpeModel());
  const TokenId bos = SpecialId(*tokenizer, "<s>");
  const std::vector<TokenId> plain = Ids(*tokenizer, "hello <s> world", false);
  EXPECT_THAT(plain, Not(Contains(bos)));
  const std::vector<TokenId> allowed = Ids(*tokenizer, "hello <s> world", true);
  EXPECT_THAT(allowed, Contains(bos));
  // The pieces around the control symbol are encoded each on its own.
  std::vector<TokenId> expected = Ids(*tokenizer, "hello ", false);
  expected.push_back(bos);
  for (TokenId id : Ids(*tokenizer, " world", false)) expected.push_back(id);
  EXPECT_EQ(allowed, expected);

  std::vector<TokenId> ids;
  std::vector<TokenSpan> offsets;
  EncodeOptions options;
  options.allow_special = true;
  ASSERT_THAT(tokenizer->Encode("ab<s>", options, &ids, &offsets), IsOk());
  EXPECT_EQ(ids.back(), bos);
  EXPECT_EQ(offsets.back().begin, 2u);
  EXPECT_EQ(offsets.back().end, 5u);
}

TEST(SentencePieceTokenizerTest, UserDefinedSymbolsAreAlwaysMatched) {
  const auto tokenizer = Load(BpeModel());
  const TokenId sep = SpecialId(*tokenizer, "<sep>");
  EXPECT_THAT(Ids(*tokenizer, "hello<sep>world", false), Contains(sep));
  EXPECT_THAT(Ids(*tokenizer, "hello<sep>world", true), Contains(sep));
}

TEST(SentencePieceTokenizerTest, AddSpecialAddsTheModelsBosAndEos) {
  const auto bpe = Load(BpeModel());
  const std::vector<TokenId> plain = Ids(*bpe, "hello world", false);
  const std::vector<TokenId> wrapped = Ids(*bpe, "hello world", false, true);
  ASSERT_EQ(wrapped.size(), plain.size() + 2);
  EXPECT_EQ(wrapped.front(), 1u);
  EXPECT_EQ(wrapped.back(), 2u);
  EXPECT_EQ(std::vector<TokenId>(wrapped.begin() + 1, wrapped.end() - 1), plain);
  // A model without BOS/EOS gets nothing added.
  const auto unigram = Load(UnigramModel());
  EXPECT_EQ(Ids(*unigram, "hello world", false, true), Ids(*unigram, "hello world", false));
}

TEST(SentencePieceTokenizerTest, ThreadsSharingTheTokenizerGetTheSameIds) {
  const auto tokenizer = Load(BpeModel());
  const std::vector<std::string> texts = {"hello world", "tune pack data set <sep> 42",
                                          "sentence \xF0\x9F\x98\x80 piece", "model token"};
  std::vector<std::vector<TokenId>> expected;
  for (const std::string& text : texts) expected.push_back(Ids(*tokenizer, text, false));
  std::vector<int> mismatches(texts.size(), 0);
  std::vector<std::thread> threads;
  for (size_t thread_idx = 0; thread_idx < texts.size(); ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int round = 0; round < 2000; ++round) {
        const size_t text_idx = (thread_idx + static_cast<size_t>(round)) % texts.size();
        std::vector<TokenId> ids;
        if (!tokenizer->Encode(texts[text_idx], {}, &ids).ok() || ids != expected[text_idx]) {
          ++mismatches[thread_idx];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

TEST(SentencePieceTokenizerTest, DecodeRejectsIdsOutsideTheVocabulary) {
  const auto tokenizer = Load(BpeModel());
  const std::vector<TokenId> ids = {static_cast<TokenId>(tokenizer->vocab_size())};
  EXPECT_THAT(tokenizer->Decode(ids), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not in")));
}

TEST(SentencePieceTokenizerTest, RejectsBytesThatAreNotAModel) {
  EXPECT_THAT(SentencePieceTokenizer::Create("x.model", "this is not a model"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a SentencePiece model")));
  EXPECT_THAT(SentencePieceTokenizer::Create("x.model", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("x.model")));
}

TEST(SentencePieceTokenizerTest, LoadTokenizerRecognisesModelFilesAndFolders) {
  testing::TempDir dir;
  testing::WriteFile(dir / "m.model", BpeModel());
  testing::WriteFile(dir / "llama" / "tokenizer.model", BpeModel());
  for (const auto& spec : {(dir / "m.model").string(), (dir / "llama").string()}) {
    auto tokenizer = LoadTokenizer(spec);
    ASSERT_THAT(tokenizer, IsOk()) << spec;
    EXPECT_EQ((*tokenizer)->name(), spec);
    EXPECT_EQ(Ids(**tokenizer, "hello world", false), Ids(*Load(BpeModel()), "hello world", false));
  }
  testing::WriteFile(dir / "broken.model", "garbage");
  EXPECT_THAT(LoadTokenizer((dir / "broken.model").string()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("broken.model")));
}

}  // namespace
}  // namespace tunepack::tokenize
