// Preference formats (openai-dpo, trl-*, alpaca-preference, sharegpt-preference,
// anthropic-hh): the conversion matrix over their golden records (every pair comes back
// byte for byte, or is refused with a reason), detection, and the refusals users meet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tunepack/format/unread_fields.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

const std::vector<std::string> kPreferenceFormats = {
    "openai-dpo", "trl-preference", "trl-preference-implicit", "trl-preference-text",
    "alpaca-preference", "sharegpt-preference", "anthropic-hh"};
const std::vector<std::string> kUnpairedFormats = {"trl-kto", "trl-kto-text"};

// Converts as `tunepack convert` does: read, place the unread fields, write.
Result<std::string> ConvertAsConvertDoes(std::string_view from, std::string_view to, std::string_view json) {
  TP_ASSIGN_OR_RETURN(Example example, ReadRecord(from, json));
  TP_ASSIGN_OR_RETURN(const Format* target, FindFormat(to));
  TP_RETURN_IF_ERROR(PlaceUnreadFields(example, *target, false));
  TP_ASSIGN_OR_RETURN(std::string out, WriteExample(to, example, {.include_metadata = true}));
  out.pop_back();
  return out;
}

// Every record of every preference format, converted to every other preference format,
// either comes back byte for byte or is refused (FailedPrecondition, with a reason).
void CheckMatrix(const std::vector<std::string>& formats) {
  for (const std::string& from : formats) {
    for (const std::string& line : GoldenLines(from + ".jsonl")) {
      for (const std::string& to : formats) {
        SCOPED_TRACE(from + " -> " + to + ": " + line);
        Result<std::string> there = ConvertAsConvertDoes(from, to, line);
        if (!there.has_value()) {
          EXPECT_EQ(there.error().code(), StatusCode::kFailedPrecondition) << there.error().message();
          EXPECT_FALSE(there.error().message().empty());
          continue;
        }
        Result<std::string> back = ConvertAsConvertDoes(to, from, *there);
        ASSERT_THAT(back, IsOk()) << *there;
        EXPECT_EQ(*back, line) << "via " << *there;
      }
    }
  }
}

TEST(PreferenceFormatsTest, EveryPairConvertsBackByteForByteOrIsRefused) { CheckMatrix(kPreferenceFormats); }

TEST(PreferenceFormatsTest, UnpairedFormatsConvertBackByteForByteOrAreRefused) { CheckMatrix(kUnpairedFormats); }

TEST(PreferenceFormatsTest, PairsAndUnpairedAndConversationsDoNotMix) {
  const std::string pair = GoldenLines("trl-preference.jsonl")[0];
  for (const char* to : {"openai", "sharegpt", "alpaca", "chatml"}) {
    Result<std::string> out = ConvertAsConvertDoes("trl-preference", to, pair);
    EXPECT_THAT(out, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("chosen and rejected answers would be lost")))
        << to;
  }
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference", "trl-kto", pair),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("this is a preference pair")));
  EXPECT_THAT(ConvertAsConvertDoes("trl-kto", "openai-dpo", GoldenLines("trl-kto.jsonl")[0]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("this is an unpaired preference")));
  EXPECT_THAT(ConvertAsConvertDoes("openai", "openai-dpo", GoldenLines("openai.jsonl")[0]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("this is a conversation without a chosen/rejected pair")));
}

TEST(PreferenceFormatsTest, ConversionsThatWouldLoseSomethingAreRefusedWithTheReason) {
  // A system prompt has no place in a standard (string) prompt.
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference", "trl-preference-text", GoldenLines("trl-preference.jsonl")[1]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("holds the prompt as one string")));
  // A tool-call answer has no place in an alpaca string.
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference", "alpaca-preference", GoldenLines("trl-preference.jsonl")[2]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("holds each answer as one string")));
  // OpenAI's outputs are assistant messages only.
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference", "openai-dpo", GoldenLines("trl-preference.jsonl")[2]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("chosen[1] has role tool")));
  // input.parallel_tool_calls is OpenAI's alone.
  EXPECT_THAT(ConvertAsConvertDoes("openai-dpo", "trl-preference", GoldenLines("openai-dpo.jsonl")[1]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"input.parallel_tool_calls\"")));
  // Media lists travel only where LLaMA-Factory keeps them.
  EXPECT_THAT(ConvertAsConvertDoes("alpaca-preference", "openai-dpo", GoldenLines("alpaca-preference.jsonl")[2]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"images\"")));
  // A turn marker inside a turn would read back as two turns.
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference-text", "anthropic-hh",
                                   R"({"prompt":"a\n\nAssistant: b","chosen":"c","rejected":"d"})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("holds a turn marker")));
}

TEST(PreferenceFormatsTest, AnImplicitPromptIsKeptOnlyWhereItCanBeFoundAgain) {
  // Both answers start with the same message: folded into each side, it would join the prompt.
  const std::string same_start =
      R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"},{"role":"user","content":"more?"},{"role":"assistant","content":"b"}],"rejected":[{"role":"assistant","content":"a"},{"role":"user","content":"more?"},{"role":"assistant","content":"c"}]})";
  EXPECT_THAT(ConvertAsConvertDoes("trl-preference", "trl-preference-implicit", same_start),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("would move the prompt's end")));
  // Identical sides: each keeps its last message as its answer.
  Result<Example> same = ReadRecord("trl-preference-implicit",
      R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})");
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(same->messages.size(), 1u);
  EXPECT_EQ(same->chosen.size(), 1u);
  EXPECT_EQ(same->rejected.size(), 1u);
}

TEST(PreferenceFormatsTest, TranscriptsAreReadExactlyOrRefused) {
  Result<Example> pair = ReadRecord("anthropic-hh", GoldenLines("anthropic-hh.jsonl")[0]);
  ASSERT_THAT(pair, IsOk());
  ASSERT_EQ(pair->messages.size(), 3u);
  EXPECT_EQ(pair->messages[2].content, "And 3+3?");
  EXPECT_EQ(pair->chosen[0].content, "6.");
  EXPECT_EQ(pair->rejected[0].content, "33.");
  // "Assistant:" without its space cannot be written back as it was: refused, not rewritten.
  EXPECT_THAT(ReadRecord("anthropic-hh", R"({"chosen":"\n\nHuman: hi\n\nAssistant:ok","rejected":"\n\nHuman: hi\n\nAssistant: no"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("chosen: not a transcript tunepack can keep byte for byte")));
}

TEST(PreferenceFormatsTest, EachShapeIsDetected) {
  for (const std::string& name : kPreferenceFormats) {
    for (const std::string& line : GoldenLines(name + ".jsonl")) EXPECT_EQ(DetectName(line), name) << line;
  }
  // LLaMA-Factory's dpo demo file, one record of it.
  EXPECT_EQ(DetectName(R"({"conversations":[{"from":"human","value":"q"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}})"),
            "sharegpt-preference");
}

TEST(PreferenceFormatsTest, KtoLabelPicksTheSide) {
  Result<Example> good = ReadRecord("trl-kto-text", R"({"prompt":"p","completion":"c","label":true})");
  ASSERT_THAT(good, IsOk());
  EXPECT_EQ(good->kind, ExampleKind::kUnpairedPreference);
  EXPECT_EQ(good->chosen.size(), 1u);
  EXPECT_TRUE(good->rejected.empty());
  EXPECT_THAT(ReadRecord("trl-kto-text", R"({"prompt":"p","completion":"c","label":"yes"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("label: must be true or false")));
}

TEST(PreferenceFormatsTest, ChatTemplateOutputOfPairsReadsBackAsTheirTrlShape) {
  tunepack::testing::TempDir tmp;
  const Format& chat_template = **FindFormat("chat-template");
  tunepack::testing::WriteFile(tmp / "pairs.jsonl", R"({"prompt":"<|im_start|>user\nq","chosen":"a","rejected":"b","prompt_input_ids":[1]})" "\n");
  tunepack::testing::WriteFile(tmp / "kto.jsonl", R"({"prompt":"p","completion":"a","label":true})" "\n");
  tunepack::testing::WriteFile(tmp / "texts.jsonl", R"({"text":"<|im_start|>user\nq<|im_end|>\n","input_ids":[1]})" "\n");
  EXPECT_EQ((*ReadBackFormat(chat_template, {(tmp / "pairs.jsonl").string()}))->name, "trl-preference-text");
  EXPECT_EQ((*ReadBackFormat(chat_template, {(tmp / "kto.jsonl").string()}))->name, "trl-kto-text");
  // Conversations stay jsonl texts, although they start like ChatML.
  EXPECT_EQ((*ReadBackFormat(chat_template, {(tmp / "texts.jsonl").string()}))->name, "jsonl");
  EXPECT_EQ((*ReadBackFormat(**FindFormat("openai"), {}))->name, "openai");
}

}  // namespace
}  // namespace tunepack::format
