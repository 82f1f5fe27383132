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

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;
constexpr StatusCode kRefused = StatusCode::kFailedPrecondition;

TEST(AlpacaFormatTest, ReadsSystemHistoryAndJoinsInstructionWithInput) {
  Result<Example> example = ReadRecord("alpaca", R"({"instruction":"Translate to French",
      "input":"Hello","output":"Bonjour","system":"You translate.","history":[["Hi","Salut"]]})");
  ASSERT_THAT(example, IsOk());
  const std::vector<Message>& m = example->messages;
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].role, Role::kSystem);
  EXPECT_EQ(m[1].content, "Hi");
  EXPECT_EQ(m[2].content, "Salut");
  EXPECT_EQ(m[3].content, "Translate to French\nHello");
  EXPECT_EQ(m[4].role, Role::kAssistant);
  EXPECT_EQ(m[4].content, "Bonjour");
}

TEST(AlpacaFormatTest, EmptyPartsAreSkippedWhenJoining) {
  Result<Example> only_input = ReadRecord("alpaca", R"({"instruction":"","input":"x","output":"y"})");
  ASSERT_THAT(only_input, IsOk());
  EXPECT_EQ(only_input->messages[0].content, "x");
  Result<Example> null_input =
      ReadRecord("alpaca", R"({"instruction":"i","input":null,"output":"y"})");
  ASSERT_THAT(null_input, IsOk());
  EXPECT_EQ(null_input->messages[0].content, "i");
}

TEST(AlpacaFormatTest, InputIsAlwaysWrittenAsAnEmptyString) {
  // Written back, the input is part of the instruction; "input" stays "" on every row so the
  // column never changes type (null vs string breaks Hugging Face datasets).
  Result<std::string> out = Convert("alpaca", "alpaca", R"({"instruction":"a","input":"b","output":"c"})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, "{\"instruction\":\"a\\nb\",\"input\":\"\",\"output\":\"c\"}\n");
}

struct BadRecord {
  std::string json;
  std::string message;
};

class AlpacaMalformedTest : public ::testing::TestWithParam<BadRecord> {};

TEST_P(AlpacaMalformedTest, IsInvalidArgumentNamingTheField) {
  EXPECT_THAT(ReadRecord("alpaca", GetParam().json),
              StatusIs(kInvalid, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Records, AlpacaMalformedTest,
    ::testing::Values(
        BadRecord{R"({"output":"o"})", "instruction: missing"},
        BadRecord{R"({"instruction":"i"})", "output: missing"},
        BadRecord{R"({"instruction":"i","output":{"text":"o"}})", "output: must be a string, not an object"},
        BadRecord{R"({"instruction":"i","input":3,"output":"o"})", "input: must be a string"},
        BadRecord{R"({"instruction":"i","output":"o","history":[["q"]]})",
                  "history[0]: must be a [prompt, response] pair of strings"},
        BadRecord{R"({"instruction":"i","output":"o","history":[["q","a"],["q",1]]})",
                  "history[1]: must be a [prompt, response] pair"},
        BadRecord{R"({"instruction":"i","output":"o","history":"q"})", "history: must be an array"}));

Message Call() {
  Message message = Msg(Role::kAssistant, "");
  message.has_content = false;
  message.tool_calls.push_back({"c", "f", "{}"});
  return message;
}

TEST(AlpacaFormatTest, RefusesWhatItCannotHold) {
  EXPECT_THAT(WriteExample("alpaca", Text("t")),
              StatusIs(kRefused, HasSubstr("alpaca holds conversations")));
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kUser, "q"), Call()})),
              StatusIs(kRefused, HasSubstr("alpaca cannot hold the tool calls of messages[1]")));
  Message result = Msg(Role::kTool, "r");
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kUser, "q"), result, Msg(Role::kAssistant, "a")})),
              StatusIs(kRefused, HasSubstr("the tool result in messages[1]")));
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kUser, "a"), Msg(Role::kUser, "b"),
                                                   Msg(Role::kAssistant, "c")})),
              StatusIs(kRefused, HasSubstr("messages[1] has role user where the assistant's turn belongs")));
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kUser, "a"), Msg(Role::kAssistant, "b"),
                                                   Msg(Role::kUser, "c")})),
              StatusIs(kRefused, HasSubstr("ends with an assistant turn")));
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kSystem, "s")})),
              StatusIs(kRefused, HasSubstr("ends with an assistant turn")));
  EXPECT_THAT(WriteExample("alpaca", Conversation({Msg(Role::kSystem, "s"), Msg(Role::kSystem, "t"),
                                                   Msg(Role::kUser, "a"), Msg(Role::kAssistant, "b")})),
              StatusIs(kRefused, HasSubstr("a system message after the first message")));
}

TEST(AlpacaFormatTest, WritesEarlierPairsAsHistory) {
  Result<std::string> out = WriteExample(
      "alpaca", Conversation({Msg(Role::kSystem, "s"), Msg(Role::kUser, "q1"), Msg(Role::kAssistant, "a1"),
                              Msg(Role::kUser, "q2"), Msg(Role::kAssistant, "a2")}));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"instruction":"q2","input":"","output":"a2","system":"s","history":[["q1","a1"]]})"
            "\n");
}

}  // namespace
}  // namespace tunepack::format
