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

TEST(FormatRegistryTest, BuiltinsInDetectionOrder) {
  EXPECT_EQ(BuiltinFormats().Names(),
            "bedrock-claude, bedrock-nova, openai, sharegpt-preference, sharegpt, alpaca, chatml, jsonl, "
            "text, markdown, chat-template, openai-dpo, trl-preference, trl-preference-implicit, "
            "trl-preference-text, trl-kto, trl-kto-text, alpaca-preference, anthropic-hh, "
            "prompt-completion, vertex-gemini, axolotl-input-output");
}

TEST(FormatRegistryTest, EveryFormatIsComplete) {
  for (const Format& format : BuiltinFormats().entries()) {
    SCOPED_TRACE(format.name);
    EXPECT_FALSE(format.description.empty());
    EXPECT_FALSE(format.extension.empty());
    EXPECT_TRUE(format.write);
    // A format reads records (JSONL) or files (plain), and knows its shape when it reads
    // records; only a format bound to a model (chat-template: text rendered by the model's
    // own template, which cannot be parsed back) is write-only.
    EXPECT_TRUE(format.read || format.split || format.bind);
    EXPECT_EQ(static_cast<bool>(format.read), static_cast<bool>(format.matches));
    EXPECT_EQ(format.separator.empty(), format.extension == ".jsonl");
  }
}

// One map from file names to plain-file formats serves convert, stats and validate.
TEST(FormatRegistryTest, PlainFileFormatsAreKnownByExtensionButJsonlIsRecords) {
  ASSERT_NE(PlainFileFormatFor("notes/book.txt"), nullptr);
  EXPECT_EQ(PlainFileFormatFor("notes/book.txt")->name, "text");
  EXPECT_EQ(PlainFileFormatFor("guide.md")->name, "markdown");
  // chatml's plain-file form has the .jsonl extension, but .jsonl and .json are records.
  EXPECT_EQ(PlainFileFormatFor("chat.jsonl"), nullptr);
  EXPECT_EQ(PlainFileFormatFor("chat.json"), nullptr);
  EXPECT_EQ(PlainFileFormatFor("table.csv"), nullptr);
  EXPECT_EQ(PlainFileFormatFor(".txt"), nullptr);  // a name that is only an extension
}

TEST(FormatRegistryTest, RegisteringTwiceIsAlreadyExists) {
  FormatRegistry registry;
  ASSERT_THAT(RegisterBuiltinFormats(registry), IsOk());
  EXPECT_THAT(RegisterBuiltinFormats(registry),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("'bedrock-claude' is registered twice")));
}

TEST(FormatRegistryTest, FindFormatListsTheValidNames) {
  Result<const Format*> found = FindFormat("sharegpt");
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ((*found)->name, "sharegpt");
  EXPECT_THAT(FindFormat("share-gpt"),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("unknown format 'share-gpt' (formats: bedrock-claude, bedrock-nova, openai, sharegpt-preference, "
                                 "sharegpt, alpaca, chatml, jsonl, text, markdown, chat-template, "
                                 "openai-dpo, ")));
}

struct Detection {
  std::string json;
  std::string format;  ///< "" when nothing should match
};

class DetectFormatTest : public ::testing::TestWithParam<Detection> {};

TEST_P(DetectFormatTest, PicksTheMostSpecificFormat) {
  EXPECT_EQ(DetectName(GetParam().json), GetParam().format) << GetParam().json;
}

INSTANTIATE_TEST_SUITE_P(
    Records, DetectFormatTest,
    ::testing::Values(
        // OpenAI SFT with extra fields, as exported by vendors.
        Detection{R"({"messages":[{"role":"system","content":"x"},{"role":"user","content":"y"}],"parallel_tool_calls":false,"id":"r1"})", "openai"},
        // TRL conversational data may also carry a text column; messages win.
        Detection{R"({"text":"flat","messages":[{"role":"user","content":"y"}]})", "openai"},
        Detection{R"({"conversations":[{"from":"human","value":"hi"},{"from":"gpt","value":"yo"}],"id":"sharegpt_1"})", "sharegpt"},
        // ShareGPT rows whose turns use role/content are not ShareGPT-shaped.
        Detection{R"({"conversations":[{"role":"user","content":"hi"}]})", ""},
        Detection{R"({"instruction":"Give three tips.","input":"","output":"1. Eat."})", "alpaca"},
        Detection{R"({"instruction":"i","output":"o","text":"Below is an instruction..."})", "alpaca"},
        Detection{R"({"instruction":"i","input":"x"})", ""},
        Detection{R"({"text":"<|im_start|>user\nhi<|im_end|>\n"})", "chatml"},
        Detection{R"({"text":"Plain document.","meta":{"url":"https://x"}})", "jsonl"},
        Detection{R"({"text":42})", ""},
        Detection{R"({"messages":[]})", ""},
        Detection{R"({"messages":"hi"})", ""},
        Detection{R"({"question":"q","answer":"a"})", ""},
        // Bedrock's Claude records are told from openai's by their top-level system string;
        // without one they are openai records, which read the same.
        Detection{R"({"system":"s","messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})", "bedrock-claude"},
        Detection{R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})", "openai"},
        Detection{R"({"schemaVersion":"bedrock-conversation-2024","messages":[{"role":"user","content":[{"text":"q"}]}]})", "bedrock-nova"},
        Detection{R"({"contents":[{"role":"user","parts":[{"text":"q"}]}]})", "vertex-gemini"},
        Detection{R"({"segments":[{"label":false,"text":"q"}]})", "axolotl-input-output"},
        Detection{R"({"prompt":"q","completion":"a"})", "prompt-completion"},
        Detection{R"({"prompt":"q","completion":"a","label":true})", "trl-kto-text"},
        Detection{R"([{"text":"x"}])", ""},
        Detection{R"("text")", ""},
        Detection{R"(null)", ""}));

}  // namespace
}  // namespace tunepack::format
