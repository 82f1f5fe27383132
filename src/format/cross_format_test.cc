// Conversions between formats: what survives a round trip through another format, and the
// documented ways it changes (docs/formats.md, "What converts to what").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

// Reads `json` as `from`, writes it as `via`, reads that back and writes it as `from`.
Result<std::string> ThereAndBack(std::string_view from, std::string_view via, std::string_view json) {
  TP_ASSIGN_OR_RETURN(std::string middle, Convert(from, via, json));
  middle.pop_back();  // the '\n' ending the JSONL line
  return Convert(via, from, middle);
}

class OpenAiThroughShareGptTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenAiThroughShareGptTest, ComesBackByteForByte) {
  Result<std::string> back = ThereAndBack("openai", "sharegpt", GetParam());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, GetParam() + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Records, OpenAiThroughShareGptTest,
    ::testing::Values(
        R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})",
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"},{"role":"assistant","content":"d"}]})",
        // Tool calls survive when their ids are the call_N that ShareGPT reading assigns.
        R"({"messages":[{"role":"user","content":"Weather in SF?"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"SF\"}"}}]},{"role":"tool","content":"18C","tool_call_id":"call_1"},{"role":"assistant","tool_calls":[{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},{"role":"tool","content":"noon","tool_call_id":"call_2"},{"role":"assistant","content":"18C at noon."}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]})"));

TEST(CrossFormatTest, ShareGptDropsToolCallIdsAndNumbersCallsOnRead) {
  Result<std::string> back = ThereAndBack("openai", "sharegpt",
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_abc","type":"function","function":{"name":"f","arguments":"{ \"a\" : 1 }"}}]},{"role":"tool","content":"r","tool_call_id":"call_abc"},{"role":"assistant","content":"done"}]})");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back,
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},{"role":"tool","content":"r","tool_call_id":"call_1"},{"role":"assistant","content":"done"}]})"
            "\n");
}

TEST(CrossFormatTest, WeightOneIsDroppedOnTheWayThroughShareGpt) {
  Result<std::string> back = ThereAndBack("openai", "sharegpt",
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":1}]})");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})" "\n");
}

class OpenAiThroughAlpacaTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenAiThroughAlpacaTest, ComesBackByteForByte) {
  Result<std::string> back = ThereAndBack("openai", "alpaca", GetParam());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, GetParam() + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Records, OpenAiThroughAlpacaTest,
    ::testing::Values(
        R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})",
        R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c\nwith input"},{"role":"assistant","content":"d"}]})"));

TEST(CrossFormatTest, AlpacaInputIsJoinedIntoTheUserTurn) {
  Result<std::string> openai = Convert("alpaca", "openai", R"({"instruction":"Translate","input":"Hello","output":"Bonjour"})");
  ASSERT_THAT(openai, IsOk());
  EXPECT_EQ(*openai,
            R"({"messages":[{"role":"user","content":"Translate\nHello"},{"role":"assistant","content":"Bonjour"}]})"
            "\n");
}

TEST(CrossFormatTest, OpenAiThroughChatMlComesBack) {
  const std::string record =
      R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"multi\n\nline"},{"role":"assistant","content":"ok"},{"role":"system","content":"late system is fine in ChatML"}]})";
  Result<std::string> back = ThereAndBack("openai", "chatml", record);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, record + "\n");
}

TEST(CrossFormatTest, ShareGptToolDataBecomesLinkedOpenAiToolCalls) {
  Result<std::string> openai = Convert("sharegpt", "openai", R"({"conversations":[{"from":"human","value":"Weather in SF?"},{"from":"function_call","value":"{\"name\":\"get_weather\",\"arguments\":{\"city\":\"SF\"}}"},{"from":"observation","value":"{\"temp\":18}"},{"from":"gpt","value":"18°C."}],"system":"Be brief.","tools":"[{\"name\":\"get_weather\"}]"})");
  ASSERT_THAT(openai, IsOk());
  EXPECT_EQ(*openai,
            R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in SF?"},)"
            R"({"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"SF\"}"}}]},)"
            R"({"role":"tool","content":"{\"temp\":18}","tool_call_id":"call_1"},{"role":"assistant","content":"18°C."}],)"
            R"("tools":[{"type":"function","function":{"name":"get_weather"}}]})"  // OpenAI's shape
            "\n");
}

TEST(CrossFormatTest, LossyConversionsAreRefused) {
  const std::string tool_chat =
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r","tool_call_id":"c"},{"role":"assistant","content":"a"}]})";
  EXPECT_THAT(Convert("openai", "alpaca", tool_chat),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("alpaca cannot hold the tool calls")));
  EXPECT_THAT(Convert("openai", "chatml", tool_chat),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("chatml cannot hold the tool calls")));
  EXPECT_THAT(Convert("openai", "jsonl", tool_chat),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("jsonl holds plain text")));
  EXPECT_THAT(Convert("jsonl", "openai", R"({"text":"doc"})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("openai holds conversations")));
  EXPECT_THAT(Convert("openai", "text", tool_chat),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("text holds plain text")));
}

TEST(CrossFormatTest, TextRecordsMoveBetweenTextFormats) {
  Result<std::string> markdown = Convert("jsonl", "markdown", R"({"text":"# T\n\nBody","metadata":{"source":"a.md"}})");
  ASSERT_THAT(markdown, IsOk());
  EXPECT_EQ(*markdown, "---\nsource: \"a.md\"\n---\n\n# T\n\nBody");
  Result<std::vector<Example>> back = SplitFile("markdown", *markdown);
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), 1u);
  Result<std::string> jsonl = WriteExample("jsonl", (*back)[0], {.include_metadata = true});
  ASSERT_THAT(jsonl, IsOk());
  EXPECT_EQ(*jsonl, "{\"text\":\"# T\\n\\nBody\",\"metadata\":{\"source\":\"a.md\"}}\n");
}

}  // namespace
}  // namespace tunepack::format
