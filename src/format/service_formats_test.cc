// The formats of services and trainers (bedrock-claude, bedrock-nova, vertex-gemini,
// axolotl-input-output, prompt-completion): the conversion matrix with the chat formats
// over their golden records (every pair comes back byte for byte, or is refused with a
// reason), and the refusals users meet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "tunepack/format/unread_fields.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

const std::vector<std::string> kFormats = {"openai", "sharegpt", "alpaca", "chatml", "bedrock-claude",
                                           "bedrock-nova", "vertex-gemini", "axolotl-input-output",
                                           "prompt-completion"};

// Converts as `tunepack convert` does: read, place the unread fields, write.
Result<std::string> ConvertAsConvertDoes(std::string_view from, std::string_view to, std::string_view json) {
  TP_ASSIGN_OR_RETURN(Example example, ReadRecord(from, json));
  TP_ASSIGN_OR_RETURN(const Format* target, FindFormat(to));
  TP_RETURN_IF_ERROR(PlaceUnreadFields(example, *target, false));
  TP_ASSIGN_OR_RETURN(std::string out, WriteExample(to, example, {.include_metadata = true}));
  out.pop_back();
  return out;
}

TEST(ServiceFormatsTest, EveryPairConvertsBackByteForByteOrIsRefused) {
  size_t identical = 0;
  for (const std::string& from : kFormats) {
    for (const std::string& line : GoldenLines(from + ".jsonl")) {
      for (const std::string& to : kFormats) {
        SCOPED_TRACE(from + " -> " + to + ": " + line);
        Result<std::string> there = ConvertAsConvertDoes(from, to, line);
        if (!there.has_value()) {
          // Refused: it would lose something (FailedPrecondition), or the service would not
          // take it (InvalidArgument: Bedrock's turn order).
          EXPECT_TRUE(there.error().code() == StatusCode::kFailedPrecondition ||
                      there.error().code() == StatusCode::kInvalidArgument)
              << there.error().message();
          EXPECT_FALSE(there.error().message().empty());
          continue;
        }
        Result<std::string> back = ConvertAsConvertDoes(to, from, *there);
        ASSERT_THAT(back, IsOk()) << *there;
        // Lossless, except where docs/formats.md says how a format normalises: openai's
        // weight 1 is the default and dropped by formats without weights; sharegpt renumbers
        // tool call ids; vertex-gemini writes systemInstruction's ignored role as "system".
        if (*back == line) ++identical;
      }
    }
  }
  EXPECT_GT(identical, 60u);
}

TEST(ServiceFormatsTest, NewFormatsComeBackFromOpenAiByteForByte) {
  for (const std::string format : {"bedrock-claude", "bedrock-nova", "vertex-gemini", "axolotl-input-output",
                                    "prompt-completion"}) {
    for (const std::string& line : GoldenLines(format + ".jsonl")) {
      SCOPED_TRACE(format + ": " + line);
      Result<std::string> openai = ConvertAsConvertDoes(format, "openai", line);
      if (!openai.has_value()) {
        // Only what openai has no place for: Gemini's own tool declarations.
        EXPECT_THAT(openai, StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"tools\"")));
        continue;
      }
      Result<std::string> back = ConvertAsConvertDoes("openai", format, *openai);
      ASSERT_THAT(back, IsOk()) << *openai;
      EXPECT_EQ(*back, line);
    }
  }
}

TEST(ServiceFormatsTest, BedrockClaudeWritesOnlyWhatBedrockAccepts) {
  const auto convert = [](std::string_view json) { return Convert("openai", "bedrock-claude", json); };
  EXPECT_THAT(convert(R"({"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("alternate, starting with the user's")));
  EXPECT_THAT(convert(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q2"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("last message to be the assistant's")));
  EXPECT_THAT(convert(R"({"messages":[{"role":"user","content":"q"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at least 2 messages")));
  EXPECT_THAT(convert(R"({"messages":[{"role":"system","content":"a"},{"role":"system","content":"b"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("one system string")));
  EXPECT_THAT(convert(R"({"messages":[{"role":"user","content":"q","name":"al"},{"role":"assistant","content":"a"}]})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("cannot hold the name 'al'")));
  EXPECT_THAT(convert(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0}]})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("weight 0")));
  // An extra key is never written: Bedrock refuses any key besides system and messages.
  EXPECT_THAT(ConvertAsConvertDoes("openai", "bedrock-claude",
                                   R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"parallel_tool_calls":false})"),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("parallel_tool_calls")));
}

TEST(ServiceFormatsTest, AnExampleOfOnlySystemMessagesIsRefusedNotWrittenWithNoTurns) {
  // Found by fuzzing: bedrock-nova wrote "messages":[], which Bedrock and our reader refuse.
  for (const char* format : {"bedrock-nova", "vertex-gemini", "bedrock-claude"}) {
    EXPECT_THAT(Convert("openai", format, R"({"messages":[{"role":"system","content":"s"}]})"),
                StatusIs(StatusCode::kFailedPrecondition, HasSubstr("only system messages")))
        << format;
  }
}

TEST(ServiceFormatsTest, PartsThatAreNotOneTextAreRefusedOnReading) {
  EXPECT_THAT(ReadRecord("vertex-gemini", R"({"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("contents[0].parts: holds 2 text parts")));
  EXPECT_THAT(ReadRecord("vertex-gemini", R"({"contents":[{"role":"user","parts":[{"fileData":{"mimeType":"image/png","fileUri":"gs://b/x.png"}}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("contents[0].parts[0]: a \"fileData\" part")));
  EXPECT_THAT(ReadRecord("vertex-gemini", R"({"contents":[{"role":"assistant","parts":[{"text":"a"}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown role 'assistant'")));
  EXPECT_THAT(ReadRecord("bedrock-nova", R"({"schemaVersion":"bedrock-conversation-2023","messages":[]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be \"bedrock-conversation-2024\"")));
  EXPECT_THAT(ReadRecord("bedrock-nova", R"({"schemaVersion":"bedrock-conversation-2024","messages":[{"role":"user","content":[{"image":{}}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("a \"image\" part")));
}

TEST(ServiceFormatsTest, SegmentsKeepTheirLabelsAsRoles) {
  Result<Example> example = ReadRecord("axolotl-input-output", GoldenLines("axolotl-input-output.jsonl")[0]);
  ASSERT_THAT(example, IsOk());
  ASSERT_EQ(example->messages.size(), 4u);
  EXPECT_EQ(example->messages[0], Msg(Role::kUser, "<s>Hello\n"));
  EXPECT_EQ(example->messages[1], Msg(Role::kAssistant, "hi there!. "));
  EXPECT_THAT(Convert("openai", "axolotl-input-output", GoldenLines("openai.jsonl")[0]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("is a system message")));
}

TEST(ServiceFormatsTest, PromptCompletionHoldsOneTurnEach) {
  EXPECT_THAT(Convert("openai", "prompt-completion", GoldenLines("openai.jsonl")[0]),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("one user prompt and one assistant answer")));
  Result<std::string> out = Convert("openai", "prompt-completion",
                                    R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, "{\"prompt\":\"q\",\"completion\":\"a\"}\n");
}

}  // namespace
}  // namespace tunepack::format
