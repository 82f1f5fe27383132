// Targets: every one is complete and cites its limits; the turn rules each states are
// applied to examples and by writers bound to the target; file limits; LLaMA-Factory's
// dataset_info.json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "format/format_test_util.h"
#include "format/llama_factory_dataset_info.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tunepack/format/target.h"

namespace tunepack::format {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

FormatParams ForTarget(std::string name) {
  FormatParams params;
  params.target = std::move(name);
  return params;
}

TEST(TargetsTest, EveryTargetNamesItsFormatsAndCitesEveryLimit) {
  EXPECT_EQ(BuiltinTargets().Names(),
            "openai-sft, openai-dpo, bedrock-claude, bedrock-nova, vertex-gemini, trl-sft, trl-dpo, trl-kto, "
            "llama-factory, axolotl-chat-template, axolotl-input-output, together, mistral");
  for (const Target& target : BuiltinTargets().entries()) {
    SCOPED_TRACE(target.name);
    EXPECT_FALSE(target.description.empty());
    EXPECT_FALSE(target.file_naming.empty());
    ASSERT_FALSE(target.formats.empty());
    for (const std::string& name : target.formats) EXPECT_THAT(FindFormat(name), IsOk()) << name;
    // Known or not, each limit says where it was looked for: no figure is guessed.
    for (const Limit* limit : {&target.min_examples, &target.max_examples, &target.max_file_bytes,
                               &target.max_tokens_per_example}) {
      EXPECT_FALSE(limit->source.empty());
    }
    EXPECT_EQ(target.companion != nullptr, !target.companion_file.empty());
  }
}

TEST(TargetsTest, UnknownNamesAndOtherFormatsAreRefusedWithTheChoices) {
  EXPECT_THAT(FindTarget("bedrock"), StatusIs(StatusCode::kNotFound, HasSubstr("targets: openai-sft, openai-dpo")));
  const Target& llama = **FindTarget("llama-factory");
  EXPECT_EQ(*TargetFormat(llama, ""), "sharegpt");
  EXPECT_EQ(*TargetFormat(llama, "alpaca"), "alpaca");
  EXPECT_THAT(TargetFormat(llama, "openai"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("target llama-factory takes the formats sharegpt, alpaca, sharegpt-preference, "
                                 "alpaca-preference, not openai")));
  EXPECT_THAT(BindFormat("openai", ForTarget("bedrock-claude")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("takes the format bedrock-claude, not openai")));
}

Status Check(std::string_view target, std::string_view openai_json) {
  Result<Example> example = ReadRecord("openai", openai_json);
  if (!example.has_value()) return example.error();
  return CheckTurnRules((*FindTarget(target))->rules, *example, target);
}

TEST(TargetsTest, TurnRulesAreTheOnesEachTargetStates) {
  const std::string good = R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})";
  for (const Target& target : BuiltinTargets().entries()) {
    EXPECT_THAT(CheckTurnRules(target.rules, *ReadRecord("openai", good), target.name), IsOk()) << target.name;
  }
  EXPECT_THAT(Check("bedrock-claude", R"({"messages":[{"role":"user","content":"q"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("turn 2: bedrock-claude needs user and assistant messages to alternate")));
  EXPECT_THAT(Check("mistral", R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("mistral needs the last message to be the assistant's")));
  EXPECT_THAT(Check("mistral", R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r","tool_call_id":"call_1"},{"role":"assistant","content":"a"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("turn 2.tool_calls[0].id: mistral needs tool call ids of exactly 9 characters")));
  EXPECT_THAT(Check("mistral", R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"abcdefghi","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r","tool_call_id":"abcdefghi"},{"role":"assistant","content":"a"}]})"),
              IsOk());
  EXPECT_THAT(Check("together", R"({"messages":[{"role":"assistant","content":"a"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("together needs user and assistant messages to alternate")));
  // Trainers state no turn order: anything the format holds goes.
  EXPECT_THAT(Check("trl-sft", R"({"messages":[{"role":"assistant","content":"a"}]})"), IsOk());
}

TEST(TargetsTest, PreferenceAnswersAreOneAssistantMessageForOpenAiDpo) {
  Result<Example> pair = ReadRecord("openai-dpo", R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"},{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})");
  ASSERT_THAT(pair, IsOk());
  EXPECT_THAT(CheckTurnRules((*FindTarget("openai-dpo"))->rules, *pair, "openai-dpo"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("chosen: openai-dpo needs exactly one assistant message")));
}

TEST(TargetsTest, AWriterBoundToATargetRefusesWhatTheTargetWould) {
  Result<std::shared_ptr<const Format>> mistral = BindFormat("openai", ForTarget("mistral"));
  ASSERT_THAT(mistral, IsOk());
  std::string out;
  const Example ends_on_user = Conversation({Msg(Role::kUser, "q"), Msg(Role::kAssistant, "a"), Msg(Role::kUser, "q")});
  EXPECT_THAT((*mistral)->write(ends_on_user, {}, out), StatusIs(StatusCode::kInvalidArgument, HasSubstr("last message")));
  EXPECT_TRUE(out.empty());
  ASSERT_THAT((*mistral)->write(Conversation({Msg(Role::kUser, "q"), Msg(Role::kAssistant, "a")}), {}, out), IsOk());
  EXPECT_EQ(out, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})" "\n");
}

// Golden: every target writes the canonical record of its default format
// (tests/golden/format/<format>.jsonl, first line) byte for byte through its bound writer.
TEST(TargetsTest, EachTargetWritesItsFormatsGoldenRecordByteForByte) {
  for (const Target& target : BuiltinTargets().entries()) {
    SCOPED_TRACE(target.name);
    const std::string& format = target.formats.front();
    const std::string line = GoldenLines(format + ".jsonl").front();
    Result<Example> example = ReadRecord(format, line);
    ASSERT_THAT(example, IsOk());
    Result<std::shared_ptr<const Format>> bound = BindFormat(format, ForTarget(target.name));
    ASSERT_THAT(bound, IsOk());
    std::string out;
    ASSERT_THAT((*bound)->write(*example, {.include_metadata = true}, out), IsOk());
    EXPECT_EQ(out, line + "\n");
  }
}

TEST(TargetsTest, FileLimitsAreCheckedWhenPublished) {
  EXPECT_THAT(CheckTargetFile(**FindTarget("openai-sft"), 5, 100),
              ElementsAre(HasSubstr("5 examples; openai-sft needs at least 10 (developers.openai.com")));
  EXPECT_THAT(CheckTargetFile(**FindTarget("openai-sft"), 10, 100), ::testing::IsEmpty());
  EXPECT_THAT(CheckTargetFile(**FindTarget("vertex-gemini"), 2000000, 2ull << 30),
              ElementsAre(HasSubstr("takes at most 1,000,000"), HasSubstr("takes files up to 1 GB")));
  // Bedrock's Claude quotas are unknown: nothing is checked rather than a guess.
  EXPECT_THAT(CheckTargetFile(**FindTarget("bedrock-claude"), 1, 1ull << 40), ::testing::IsEmpty());
  EXPECT_EQ(DescribeLimit((*FindTarget("bedrock-claude"))->max_examples), "unknown");
}

TEST(TargetsTest, TogetherTellsWhichOfItsFormatsARecordFits) {
  simdjson::dom::parser parser;
  const Target& together = **FindTarget("together");
  EXPECT_THAT(MatchingTargetFormats(together, parser.parse(std::string(R"({"text":"t","messages":[{"role":"user","content":"q"}]})"))),
              ElementsAre("openai", "jsonl"));
  EXPECT_THAT(MatchingTargetFormats(together, parser.parse(std::string(R"({"prompt":"p","completion":"c"})"))),
              ElementsAre("prompt-completion"));
}

TEST(TargetsTest, LlamaFactoryDatasetInfoNamesOnlyTheColumnsTheFileHas) {
  tunepack::testing::TempDir dir;
  const std::string train = dir.path().string() + "/train.jsonl";
  std::ofstream(train) << R"({"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}],"tools":"[]"})" "\n";
  const std::string pairs = dir.path().string() + "/validation.jsonl";
  std::ofstream(pairs) << GoldenLines("alpaca-preference.jsonl")[1] << "\n";
  Result<std::string> info = internal::LlamaFactoryDatasetInfo(
      "mydata", {{train, "train.jsonl", "train", "sharegpt"}, {pairs, "validation.jsonl", "validation", "alpaca-preference"}});
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(*info,
            "{\n"
            R"(  "mydata_train": {"file_name":"train.jsonl","formatting":"sharegpt","columns":{"messages":"conversations","tools":"tools"}},)" "\n"
            R"(  "mydata_validation": {"file_name":"validation.jsonl","formatting":"alpaca","ranking":true,"columns":{"prompt":"instruction","query":"input","system":"system","history":"history","chosen":"chosen","rejected":"rejected"}})" "\n"
            "}\n");
}

}  // namespace
}  // namespace tunepack::format
