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

TEST(JsonlFormatTest, ReadsTextAndMetadata) {
  Result<Example> example = ReadRecord("jsonl", R"({"text":"body","metadata":{"page":3,"a":{"b":[1]}}})");
  ASSERT_THAT(example, IsOk());
  EXPECT_EQ(example->kind, ExampleKind::kText);
  EXPECT_EQ(example->text, "body");
  ASSERT_NE(example->metadata.FindJson("a"), nullptr);
  EXPECT_EQ(*example->metadata.FindJson("a"), R"({"b":[1]})");
}

TEST(JsonlFormatTest, WritesMinifiedUtf8WithoutEscapingNonAscii) {
  Result<std::string> out = WriteExample("jsonl", Text("naïve \"q\"\n日本"));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, "{\"text\":\"naïve \\\"q\\\"\\n日本\"}\n");
}

TEST(JsonlFormatTest, MalformedRecordsNameTheField) {
  EXPECT_THAT(ReadRecord("jsonl", R"({"body":"x"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("text: missing")));
  EXPECT_THAT(ReadRecord("jsonl", R"({"text":["x"]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("text: must be a string, not an array")));
  EXPECT_THAT(ReadRecord("jsonl", R"(["x"])"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("record: must be an object")));
}

TEST(JsonlFormatTest, RefusesAConversationSuggestingChatMlOrAChatFormat) {
  EXPECT_THAT(WriteExample("jsonl", Conversation({Msg(Role::kUser, "q"), Msg(Role::kAssistant, "a")})),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("jsonl holds plain text, and a conversation written there would lose "
                                 "its roles and turns; use chatml")));
}

}  // namespace
}  // namespace tunepack::format
