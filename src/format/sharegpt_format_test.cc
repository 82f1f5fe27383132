#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "tunepack/format/plain_record.h"
#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

constexpr StatusCode kInvalid = StatusCode::kInvalidArgument;
constexpr StatusCode kRefused = StatusCode::kFailedPrecondition;

// Plain records (every tag but function_call, nothing beside "conversations") are read from
// their text to the example Read makes of the parsed record; the rest are left to Read.
TEST(ShareGptFormatTest, PlainRecordsReadFromTheirTextAsFromTheParsedRecord) {
  Result<const Format*> sharegpt = FindFormat("sharegpt");
  ASSERT_THAT(sharegpt, IsOk());
  const std::vector<std::pair<std::string, bool>> cases = {
      {R"({"conversations":[{"from":"system","value":"S"},{"from":"human","value":"Hi\n\"x\""},)"
       R"({"from":"gpt","value":"Yo"},{"from":"user","value":"u"},{"from":"model","value":"m"},)"
       R"({"from":"observation","value":"o"},{"from":"tool","value":"t"},{"from":"assistant","value":"a"}]})",
       true},
      {R"({"conversations":[{"value":"first","from":"human"}]})", true},
      {R"({"conversations":[{"from":"function_call","value":"{\"name\":\"f\",\"arguments\":{}}"}]})", false},
      {R"({"conversations":[{"from":"human","value":"a","name":"n"}]})", false},
      {R"({"conversations":[{"from":"human","value":"a"}],"system":"S"})", false},
      {R"({"conversations":[{"from":"human","value":"a"}],"tools":"[]"})", false},
      {R"({"conversations":[{"from":"wizard","value":"a"}]})", false},
      {R"({"conversations":[]})", false},
      {R"({"messages":[{"role":"user","content":"a"}]})", false},
  };
  for (const auto& [json, plain_record] : cases) {
    const std::string text = json + std::string(simdjson::SIMDJSON_PADDING, '}');
    Example plain;
    const bool taken = ReadPlainRecord(**sharegpt, std::string_view(text.data(), json.size()), plain);
    EXPECT_EQ(taken, plain_record) << json;
    if (!taken) {
      EXPECT_TRUE(plain.messages.empty()) << json;
      continue;
    }
    Result<Example> parsed = ReadRecord("sharegpt", json);
    ASSERT_THAT(parsed, IsOk()) << json;
    EXPECT_EQ(plain.kind, parsed->kind) << json;
    EXPECT_EQ(plain.messages, parsed->messages) << json;
    EXPECT_TRUE(parsed->unread_fields.empty() && parsed->metadata.empty() && parsed->tools.empty()) << json;
  }
}

TEST(ShareGptFormatTest, ReadsRoleAliasesAndWritesLlamaFactoryTags) {
  Result<std::string> out = Convert("sharegpt", "sharegpt", R"({"conversations":[
      {"from":"user","value":"a"},{"from":"assistant","value":"b"},
      {"from":"human","value":"c"},{"from":"model","value":"d"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"},)"
            R"({"from":"human","value":"c"},{"from":"gpt","value":"d"}]})"
            "\n");
}

TEST(ShareGptFormatTest, TopLevelSystemBecomesTheFirstTurn) {
  Result<Example> example = ReadRecord(
      "sharegpt", R"({"system":"Be brief.","conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"}]})");
  ASSERT_THAT(example, IsOk());
  ASSERT_EQ(example->messages.size(), 3u);
  EXPECT_EQ(example->messages[0].role, Role::kSystem);
  EXPECT_EQ(example->messages[0].content, "Be brief.");
  Result<std::string> out = WriteExample("sharegpt", *example);
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"({"conversations":[{"from":"system","value":"Be brief."},)"));
}

TEST(ShareGptFormatTest, SystemTurnWinsOverTheSystemColumnAsInLlamaFactory) {
  Result<Example> example = ReadRecord("sharegpt", R"({"system":"column","conversations":[
      {"from":"system","value":"turn"},{"from":"human","value":"a"},{"from":"gpt","value":"b"}]})");
  ASSERT_THAT(example, IsOk());
  ASSERT_EQ(example->messages.size(), 3u);
  EXPECT_EQ(example->messages[0].content, "turn");
}

TEST(ShareGptFormatTest, CallsAreNumberedAndObservationsLinkedToThem) {
  Result<Example> example = ReadRecord("sharegpt", R"({"conversations":[
      {"from":"human","value":"q"},
      {"from":"function_call","value":"{\"name\":\"f\",\"arguments\":{\"a\":1}}"},
      {"from":"observation","value":"r1"},
      {"from":"function_call","value":"[{\"name\":\"g\",\"arguments\":\"{}\"},{\"name\":\"h\",\"arguments\":{}}]"},
      {"from":"observation","value":"r2"},
      {"from":"gpt","value":"done"}]})");
  ASSERT_THAT(example, IsOk());
  const std::vector<Message>& m = example->messages;
  ASSERT_EQ(m.size(), 6u);
  ASSERT_EQ(m[1].tool_calls.size(), 1u);
  EXPECT_EQ(m[1].tool_calls[0].id, "call_1");
  EXPECT_EQ(m[1].tool_calls[0].arguments, R"({"a":1})");
  EXPECT_FALSE(m[1].has_content);
  EXPECT_EQ(m[2].role, Role::kTool);
  EXPECT_EQ(m[2].tool_call_id, "call_1");
  ASSERT_EQ(m[3].tool_calls.size(), 2u);
  EXPECT_EQ(m[3].tool_calls[0].id, "call_2");
  EXPECT_EQ(m[3].tool_calls[0].arguments, "{}");  // a string argument is kept as JSON text
  EXPECT_EQ(m[3].tool_calls[1].id, "call_3");
  // One observation answers a turn of several calls; it cannot name one call.
  EXPECT_EQ(m[4].tool_call_id, "");
}

TEST(ShareGptFormatTest, ToolsArrayIsAcceptedAndWrittenAsAJsonString) {
  Result<std::string> out = Convert("sharegpt", "sharegpt", R"({"conversations":[
      {"from":"human","value":"a"},{"from":"gpt","value":"b"}],"tools":[{"name":"f"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"("tools":"[{\"name\":\"f\"}]")"));
}

struct BadRecord {
  std::string json;
  std::string message;
};

class ShareGptMalformedTest : public ::testing::TestWithParam<BadRecord> {};

TEST_P(ShareGptMalformedTest, IsInvalidArgumentNamingTheField) {
  EXPECT_THAT(ReadRecord("sharegpt", GetParam().json),
              StatusIs(kInvalid, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Records, ShareGptMalformedTest,
    ::testing::Values(
        BadRecord{R"({"messages":[]})", "conversations: missing"},
        BadRecord{R"({"conversations":[]})", "conversations: must not be empty"},
        BadRecord{R"({"conversations":[{"from":"bot","value":"x"}]})",
                  "conversations[0].from: unknown role 'bot'"},
        BadRecord{R"({"conversations":[{"from":"human","value":["x"]}]})",
                  "conversations[0].value: must be a string, not an array"},
        BadRecord{R"({"conversations":[{"from":"human"}]})", "conversations[0].value: missing"},
        BadRecord{R"({"conversations":[{"from":"function_call","value":"get_weather SF"}]})",
                  "conversations[0].value: a function_call value must be JSON text"},
        BadRecord{R"({"conversations":[{"from":"function_call","value":"{\"arguments\":{}}"}]})",
                  "conversations[0].value.name: missing"},
        BadRecord{R"({"conversations":[{"from":"function_call","value":"[]"}]})",
                  "conversations[0].value: a function_call turn needs at least one call"},
        BadRecord{R"({"conversations":[{"from":"human","value":"a"}],"tools":"[{oops"})",
                  "tools: is not valid JSON text"},
        BadRecord{R"({"conversations":[{"from":"human","value":"a"}],"tools":"{}"})",
                  "tools: must hold a JSON array"},
        BadRecord{R"({"conversations":[{"from":"human","value":"a"}],"system":1})",
                  "system: must be a string"}));

Message Call(std::string id, std::string name, std::string arguments) {
  Message message = Msg(Role::kAssistant, "");
  message.has_content = false;
  message.tool_calls.push_back({std::move(id), std::move(name), std::move(arguments)});
  return message;
}

Message Result_(std::string id, std::string content) {
  Message message = Msg(Role::kTool, std::move(content));
  message.tool_call_id = std::move(id);
  return message;
}

struct Refusal {
  std::string name;
  Example example;
  std::string message;
};

class ShareGptRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(ShareGptRefusalTest, IsFailedPreconditionSayingWhy) {
  EXPECT_THAT(WriteExample("sharegpt", GetParam().example),
              StatusIs(kRefused, HasSubstr(GetParam().message)));
}

Message WithName(Message message, std::string name) {
  message.name = std::move(name);
  return message;
}
Message WithWeight(Message message, int weight) {
  message.weight = weight;
  return message;
}
Message WithText(Message message, std::string text) {
  message.has_content = true;
  message.content = std::move(text);
  return message;
}
Message TwoCalls() {
  Message message = Call("a", "f", "{}");
  message.tool_calls.push_back({"b", "g", "{}"});
  return message;
}

INSTANTIATE_TEST_SUITE_P(
    Examples, ShareGptRefusalTest,
    ::testing::Values(
        Refusal{"text", Text("plain"), "sharegpt holds conversations"},
        Refusal{"ends_with_user",
                Conversation({Msg(Role::kUser, "a"), Msg(Role::kAssistant, "b"), Msg(Role::kUser, "c")}),
                "does not end with an assistant turn"},
        Refusal{"assistant_first", Conversation({Msg(Role::kAssistant, "a"), Msg(Role::kUser, "b")}),
                "messages[0]: an assistant turn where LLaMA-Factory expects a user"},
        Refusal{"two_users", Conversation({Msg(Role::kUser, "a"), Msg(Role::kUser, "b")}),
                "messages[1]: a user turn where LLaMA-Factory expects an assistant turn"},
        Refusal{"text_and_calls",
                Conversation({Msg(Role::kUser, "q"), WithText(Call("c", "f", "{}"), "Let me check.")}),
                "messages[1]: text and tool calls in one turn"},
        Refusal{"two_results",
                Conversation({Msg(Role::kUser, "q"), TwoCalls(), Result_("a", "1"), Result_("b", "2"),
                              Msg(Role::kAssistant, "done")}),
                "messages[2]: the result of one of 2 calls made together"},
        Refusal{"two_results_without_ids",
                Conversation({Msg(Role::kUser, "q"), TwoCalls(), Result_("", "1"), Result_("", "2"),
                              Msg(Role::kAssistant, "done")}),
                "messages[3]: a second tool result in a row"},
        Refusal{"result_for_other_call",
                Conversation({Msg(Role::kUser, "q"), Call("c1", "f", "{}"), Result_("c9", "r"),
                              Msg(Role::kAssistant, "done")}),
                "a tool result for call 'c9', which is not the call just before it"},
        Refusal{"result_without_call",
                Conversation({Msg(Role::kUser, "q"), Msg(Role::kAssistant, "a"), Result_("", "r"),
                              Msg(Role::kAssistant, "done")}),
                "messages[2]: a tool result that does not follow a tool call"},
        Refusal{"name",
                Conversation({WithName(Msg(Role::kUser, "q"), "alice"), Msg(Role::kAssistant, "a")}),
                "sharegpt cannot hold the name 'alice' of messages[0]"},
        Refusal{"weight_zero",
                Conversation({Msg(Role::kUser, "q"), WithWeight(Msg(Role::kAssistant, "a"), 0)}),
                "weight 0 (do not train on this turn) of messages[1]"},
        Refusal{"late_system",
                Conversation({Msg(Role::kUser, "q"), Msg(Role::kSystem, "s"), Msg(Role::kAssistant, "a")}),
                "a system message after the first message (messages[1])"}),
    [](const auto& info) { return info.param.name; });

TEST(ShareGptFormatTest, WeightOneIsDroppedBecauseItIsTheDefault) {
  Result<std::string> out = WriteExample(
      "sharegpt", Conversation({Msg(Role::kUser, "q"), WithWeight(Msg(Role::kAssistant, "a"), 1)}));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},{\"from\":\"gpt\",\"value\":\"a\"}]}\n");
}

TEST(ShareGptFormatTest, ArgumentsThatAreNotJsonAreInvalid) {
  EXPECT_THAT(WriteExample("sharegpt", Conversation({Msg(Role::kUser, "q"), Call("c", "f", "not json")})),
              StatusIs(kInvalid, HasSubstr("messages[1].tool_calls[0].function.arguments")));
}

TEST(ShareGptFormatTest, ConversationMayEndWithAFunctionCall) {
  Result<std::string> out =
      WriteExample("sharegpt", Conversation({Msg(Role::kUser, "q"), Call("x", "f", R"({"a": 1})")}));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"conversations":[{"from":"human","value":"q"},)"
            R"({"from":"function_call","value":"{\"name\":\"f\",\"arguments\":{\"a\":1}}"}]})"
            "\n");
}

}  // namespace
}  // namespace tunepack::format
