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

TEST(OpenAiFormatTest, ReadsDeveloperAsSystemAndWritesSystem) {
  Result<std::string> out = Convert(
      "openai", "openai",
      R"({"messages":[{"role":"developer","content":"Be terse."},{"role":"user","content":"Hi"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be terse.\"},"
            "{\"role\":\"user\",\"content\":\"Hi\"}]}\n");
}

TEST(OpenAiFormatTest, ArgumentsObjectIsMinifiedIntoAString) {
  Result<Example> example = ReadRecord("openai", R"({"messages":[{"role":"user","content":"x"},
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
       "function":{"name":"f","arguments":{ "a" : [1, 2] }}}]}]})");
  ASSERT_THAT(example, IsOk());
  const Message& call_turn = example->messages[1];
  EXPECT_FALSE(call_turn.has_content);
  ASSERT_EQ(call_turn.tool_calls.size(), 1u);
  EXPECT_EQ(call_turn.tool_calls[0].arguments, R"({"a":[1,2]})");
  Result<std::string> out = WriteExample("openai", *example);
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"("arguments":"{\"a\":[1,2]}")"));
  // Content null on a tool-call turn is left out, not written as null.
  EXPECT_THAT(*out, HasSubstr(R"({"role":"assistant","tool_calls":)"));
}

TEST(OpenAiFormatTest, ArgumentsStringIsKeptByteForByte) {
  Result<Example> example = ReadRecord("openai", R"({"messages":[{"role":"assistant",
      "tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{ \"a\": 1 }"}}]}]})");
  ASSERT_THAT(example, IsOk());
  EXPECT_EQ(example->messages[0].tool_calls[0].arguments, R"({ "a": 1 })");
}

// ReadPlainRecord takes plain records from their text to the example `read` makes of the
// parsed record, and leaves every other record (other fields, nulls, repeated keys, errors
// of any kind) to `read`, with the example untouched. The bytes after each record are '}', as the
// next record's could be: the reader must not run on into them.
TEST(OpenAiFormatTest, PlainRecordsReadFromTheirTextAsFromTheParsedRecord) {
  Result<const Format*> openai = FindFormat("openai");
  ASSERT_THAT(openai, IsOk());
  struct Case {
    std::string json;
    bool plain;
  };
  const std::vector<Case> cases = {
      {R"({"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Hi \"you\"\n\u00e9 \ud83d\ude00"},)"
       R"({"role":"assistant","content":"Yo","name":"bot"}]})",
       true},
      {R"( { "messages" : [ {"content":"first","role":"developer"} ] } )", true},
      {R"({"messages":[{"role":"tool","content":"","name":""}]})", true},
      {R"({"messages":[{"r\u006fle":"user","content":"a"}]})", false},  // a key spelt with an escape
      {R"({"messages":[{"role":"user","content":"a"}],"tools":[]})", false},
      {R"({"messages":[{"role":"user","content":"a"}],"metadata":{"k":1}})", false},
      {R"({"messages":[{"role":"user","content":"a"}],"messages":[{"role":"user","content":"b"}]})", false},
      {R"({"messages":[{"role":"user","content":"a","name":null}]})", false},
      {R"({"messages":[{"role":"user","content":"a","role":"assistant"}]})", false},
      {R"({"messages":[{"role":"assistant","content":"a","weight":1}]})", false},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"}]}]})", false},
      {R"({"messages":[{"role":"wizard","content":"a"}]})", false},
      {R"({"messages":[{"role":"user"}]})", false},
      {R"({"messages":[]})", false},
      {R"({"messages":{}})", false},
      {R"({"messages":[{"role":"user","content":"a"}]} {"messages":[]})", false},
      {R"({"messages":[{"role":"user","content":"a"}]} x)", false},
      {R"({"messages":[{"role":"user","content":"a"}],})", false},
      {R"({"messages":[{"role":"user","content":"a",}]})", false},
      {R"({"messages":[{"role":"user" "content":"a"}]})", false},
      {R"({"messages":[{"role":"user","content":"a"}]]})", false},
      {R"({"messages":[{"role":"user","content":"a"}])", false},
      {R"({"messages":[{"role":"user","content":"a\x"}]})", false},
      {R"({"messages":[{"role":"user","content":"\ud800"}]})", false},
      {"{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\"}]}", false},
      {R"([{"role":"user","content":"a"}])", false},
  };
  for (const Case& c : cases) {
    const std::string text = c.json + std::string(simdjson::SIMDJSON_PADDING, '}');
    Example plain;
    const bool taken = ReadPlainRecord(**openai, std::string_view(text.data(), c.json.size()), plain);
    EXPECT_EQ(taken, c.plain) << c.json;
    if (!taken) {
      EXPECT_TRUE(plain.messages.empty()) << c.json;
      EXPECT_EQ(plain.kind, ExampleKind::kText) << c.json;
      continue;
    }
    Result<Example> parsed = ReadRecord("openai", c.json);
    ASSERT_THAT(parsed, IsOk()) << c.json;
    EXPECT_EQ(plain.kind, parsed->kind) << c.json;
    EXPECT_EQ(plain.messages, parsed->messages) << c.json;
    EXPECT_TRUE(parsed->unread_fields.empty() && parsed->metadata.empty() && parsed->tools.empty()) << c.json;
  }
}

struct BadRecord {
  std::string json;
  std::string message;
};

class OpenAiMalformedTest : public ::testing::TestWithParam<BadRecord> {};

TEST_P(OpenAiMalformedTest, IsInvalidArgumentNamingTheField) {
  EXPECT_THAT(ReadRecord("openai", GetParam().json),
              StatusIs(kInvalid, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Records, OpenAiMalformedTest,
    ::testing::Values(
        BadRecord{R"({"text":"x"})", "messages: missing"},
        BadRecord{R"({"messages":{}})", "messages: must be an array, not an object"},
        BadRecord{R"({"messages":[]})", "messages: must not be empty"},
        BadRecord{R"({"messages":["hi"]})", "messages[0]: must be an object, not a string"},
        BadRecord{R"({"messages":[{"content":"x"}]})", "messages[0].role: missing"},
        BadRecord{R"({"messages":[{"role":"function","content":"x"}]})",
                  "messages[0].role: unknown role 'function'"},
        BadRecord{R"({"messages":[{"role":"user"}]})",
                  "messages[0].content: missing; only an assistant message with tool_calls"},
        BadRecord{R"({"messages":[{"role":"user","content":null}]})", "messages[0].content: missing"},
        BadRecord{R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]})",
                  "messages[0].content[1]: follows another text part"},
        BadRecord{R"({"messages":[{"role":"user","content":7}]})",
                  "messages[0].content: must be a string, not a number"},
        BadRecord{R"({"messages":[{"role":"assistant","content":"a","weight":2}]})",
                  "messages[0].weight: must be 0 or 1"},
        BadRecord{R"({"messages":[{"role":"assistant","content":"a","weight":true}]})",
                  "messages[0].weight: must be 0 or 1"},
        BadRecord{R"({"messages":[{"role":"user","content":"a","weight":1}]})",
                  "messages[0].weight: only assistant messages carry a weight"},
        BadRecord{R"({"messages":[{"role":"user","content":"a","name":3}]})",
                  "messages[0].name: must be a string"},
        BadRecord{R"({"messages":[{"role":"user","content":"a","tool_calls":[]}]})",
                  "messages[0].tool_calls: only assistant messages make tool calls"},
        BadRecord{R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"code","function":{"name":"f","arguments":"{}"}}]}]})",
                  "messages[0].tool_calls[0].type: must be \"function\""},
        BadRecord{R"({"messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]})",
                  "messages[0].tool_calls[0].function: missing"},
        BadRecord{R"({"messages":[{"role":"assistant","tool_calls":[{"function":{"arguments":"{}"}}]}]})",
                  "messages[0].tool_calls[0].function.name: missing"},
        BadRecord{R"({"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]})",
                  "messages[0].tool_calls[0].function.arguments: missing"},
        BadRecord{R"({"messages":[{"role":"user","content":"a","tool_call_id":"c"}]})",
                  "messages[0].tool_call_id: only tool messages answer a call"},
        BadRecord{R"({"messages":[{"role":"user","content":"a"}],"tools":"[]"})",
                  "tools: must be an array of tool schemas, not a string"},
        BadRecord{R"({"messages":[{"role":"user","content":"a"}],"metadata":[1]})",
                  "metadata: must be an object"}));

TEST(OpenAiFormatTest, WriteRefusesATextExampleNamingTextFormats) {
  EXPECT_THAT(WriteExample("openai", Text("plain")),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("jsonl, text or markdown")));
}

TEST(OpenAiFormatTest, WriteRefusesInvalidConversations) {
  EXPECT_THAT(WriteExample("openai", Conversation({})),
              StatusIs(kInvalid, HasSubstr("messages: a conversation needs messages")));
  Message no_content = Msg(Role::kUser, "");
  no_content.has_content = false;
  EXPECT_THAT(WriteExample("openai", Conversation({no_content})),
              StatusIs(kInvalid, HasSubstr("messages[0].content: missing")));
  Message weighted_user = Msg(Role::kUser, "x");
  weighted_user.weight = 1;
  EXPECT_THAT(WriteExample("openai", Conversation({weighted_user})),
              StatusIs(kInvalid, HasSubstr("messages[0].weight")));
}

TEST(OpenAiFormatTest, MetadataIsWrittenOnlyWhenAsked) {
  Example example = Conversation({Msg(Role::kUser, "q"), Msg(Role::kAssistant, "a")});
  example.metadata.SetString("source", "in.jsonl");
  Result<std::string> plain = WriteExample("openai", example);
  Result<std::string> with = WriteExample("openai", example, {.include_metadata = true});
  ASSERT_THAT(plain, IsOk());
  ASSERT_THAT(with, IsOk());
  EXPECT_THAT(*plain, ::testing::Not(HasSubstr("metadata")));
  EXPECT_THAT(*with, HasSubstr(R"(,"metadata":{"source":"in.jsonl"}})"));
}

TEST(OpenAiFormatTest, FailedWriteLeavesTheBufferAsItWas) {
  const Format* format = *FindFormat("openai");
  std::string out = "earlier line\n";
  EXPECT_FALSE(format->write(Text("x"), {}, out).ok());
  EXPECT_EQ(out, "earlier line\n");
}

// LLaMA-Factory stores tool schemas as bare functions in a JSON string (glaive_toolcall_en_demo);
// OpenAI wants {"type":"function","function":{...}}, and an empty list is no tools.
TEST(OpenAiFormatTest, ToolSchemasAreWrittenInOpenAisShape) {
  const char glaive[] =
      R"({"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello."}],)"
      R"("tools":"[{\"name\": \"search_recipes\", \"description\": \"Search\", \"parameters\": {\"type\": \"object\"}}]"})";
  Result<std::string> out = Convert("sharegpt", "openai", glaive);
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, HasSubstr(R"("tools":[{"type":"function","function":{"name":"search_recipes","description":"Search","parameters":{"type":"object"}}}])"));
  const char no_tools[] =
      R"({"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello."}],"tools":"[]"})";
  out = Convert("sharegpt", "openai", no_tools);
  ASSERT_THAT(out, IsOk());
  EXPECT_THAT(*out, ::testing::Not(HasSubstr("tools")));
  // Without tools, chatml can hold the conversation.
  EXPECT_THAT(Convert("sharegpt", "chatml", no_tools), IsOk());
  // Typed schemas are kept as they are.
  const char typed[] =
      R"({"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f"}}]})";
  out = Convert("openai", "openai", typed);
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, std::string(typed) + "\n");
}

}  // namespace
}  // namespace tunepack::format
