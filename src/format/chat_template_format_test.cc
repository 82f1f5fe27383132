#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <span>
#include <thread>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tunepack/core/utf8.h"
#include "tunepack/format/format.h"
#include "tunepack/tokenize/tokenizer.h"
#include "tp_test_paths.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using tunepack::testing::StatusIs;
using testing::Conversation;
using testing::Msg;
using testing::ModelParams;
using Json = nlohmann::json;

const std::string kModel = std::string(TP_SOURCE_DIR) + "/tests/data/chat-model";

Json WriteOne(const Format& format, const Example& example) {
  std::string out;
  Status status = format.write(example, WriteOptions{}, out);
  EXPECT_TRUE(status.ok()) << status.message();
  if (!status.ok()) return nullptr;
  EXPECT_EQ(out.back(), '\n');
  return Json::parse(out);
}

TEST(ChatTemplateFormatTest, NeedsAModelFolder) {
  EXPECT_THAT(BindFormat("chat-template", {}), StatusIs(StatusCode::kInvalidArgument, HasSubstr("‹model› DIR")));
  EXPECT_THAT(BindFormat("chat-template", ModelParams("/nonexistent/model", "")),
              StatusIs(StatusCode::kNotFound, HasSubstr("/nonexistent/model")));
  EXPECT_THAT(BindFormat("openai", ModelParams(kModel, "")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("‹model› is for ‹format› chat-template")));
  // Registered like every format, listed by `tunepack formats`.
  EXPECT_NE(BuiltinFormats().Find("chat-template"), nullptr);
}

TEST(ChatTemplateFormatTest, WritesTheTextTheModelTrainsOn) {
  auto format = BindFormat("chat-template", ModelParams(kModel, ""));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  Json record = WriteOne(**format, Conversation({Msg(Role::kSystem, "Be brief."), Msg(Role::kUser, " Hi? "),
                                                 Msg(Role::kAssistant, "Hello.")}));
  EXPECT_EQ(record["text"],
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n"
            "<|im_start|>assistant\nHello.<|im_end|>\n");
  EXPECT_FALSE(record.contains("input_ids"));
  EXPECT_FALSE(record.contains("assistant_masks"));
}

// A worker renders conversation after conversation, and the values it gives the template
// are kept from one to the next: a turn with a name, a shorter conversation, an example
// whose turns were rewritten in place (the pipeline reuses one) and a template that pops
// the list (Jinja2's sandbox allows list.pop) must each render as on their own. Each
// output is checked against the same example written on a thread that wrote nothing before.
TEST(ChatTemplateFormatTest, ConversationAfterConversationRendersAsAlone) {
  tunepack::testing::TempDir tmp;
  tunepack::testing::WriteFile(
      tmp / "tokenizer_config.json",
      R"({"chat_template": "{% set last = messages.pop() %}{% for m in messages %}<{{ m.role }}{{ m.name or '' }}>{{ m.content }}{% endfor %})"
      R"(<last {{ last.role }}{{ last.name or '' }}>{{ last.content }}{{ messages | length }}"})");
  auto format = BindFormat("chat-template", ModelParams(tmp.path().string(), ""));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  Message named = Msg(Role::kAssistant, "Named.");
  named.name = "bot";
  Example reused = Conversation({Msg(Role::kSystem, "Be brief."), Msg(Role::kUser, "Hi?"), Msg(Role::kAssistant, "Hello.")});
  std::vector<std::string> written;
  std::vector<std::string> alone;
  auto write = [&](const Example& example) {
    std::string out;
    EXPECT_TRUE((*format)->write(example, WriteOptions{}, out).ok());
    written.push_back(out);
    std::thread([&] { EXPECT_TRUE((*format)->write(example, WriteOptions{}, alone.emplace_back()).ok()); }).join();
  };
  write(reused);
  write(Conversation({Msg(Role::kUser, "Two?"), named}));
  write(reused);
  reused.messages[1].content = "Bye?";
  reused.messages[2].role = Role::kUser;
  reused.messages[2].content = "Now.";
  write(reused);
  reused.messages[2].name = "ann";
  write(reused);
  reused.messages.resize(1);
  write(reused);
  EXPECT_EQ(written, alone);
  EXPECT_EQ(written[3], "{\"text\":\"<system>Be brief.<user>Bye?<last user>Now.2\"}\n");
  EXPECT_EQ(written[4], "{\"text\":\"<system>Be brief.<user>Bye?<last userann>Now.2\"}\n");
}

TEST(ChatTemplateFormatTest, ToolCallsReachTheTemplateAsObjects) {
  auto format = BindFormat("chat-template", ModelParams(kModel, ""));
  ASSERT_TRUE(format.has_value());
  Example example = Conversation({Msg(Role::kUser, "Stats?"), Msg(Role::kAssistant, "")});
  example.messages[1].has_content = false;
  example.messages[1].tool_calls.push_back(ToolCall{"c1", "queue_stats", R"({"queue":"reports"})"});
  example.messages.push_back(Msg(Role::kTool, "{\"waiting\": 4}"));
  example.messages.back().tool_call_id = "c1";
  example.messages.push_back(Msg(Role::kAssistant, "4 are waiting."));
  example.tools = R"([{"name":"queue_stats"}])";
  Json record = WriteOne(**format, example);
  EXPECT_EQ(record["text"],
            "<|im_start|>system\nYou can call these tools:\n{\"name\": \"queue_stats\"}\n<|im_end|>\n"
            "<|im_start|>user\nStats?<|im_end|>\n"
            "<|im_start|>assistant\n<tool_call>\n{\"name\": \"queue_stats\", \"arguments\": {\"queue\": \"reports\"}}\n"
            "</tool_call><|im_end|>\n"
            "<|im_start|>tool\n{\"waiting\": 4}<|im_end|>\n"
            "<|im_start|>assistant\n4 are waiting.<|im_end|>\n");
}

TEST(ChatTemplateFormatTest, RefusesTextExamplesAndTemplateErrors) {
  auto format = BindFormat("chat-template", ModelParams(kModel, ""));
  ASSERT_TRUE(format.has_value());
  std::string out;
  EXPECT_THAT((*format)->write(testing::Text("plain"), {}, out),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("chat-template")));
  // The fixture's raise_exception for a late system message.
  EXPECT_THAT((*format)->write(Conversation({Msg(Role::kUser, "a"), Msg(Role::kSystem, "late")}), {}, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("A system message must come first")));
  EXPECT_TRUE(out.empty());
}

TEST(ChatTemplateFormatTest, AssistantMaskCoversExactlyTheGenerationBlocks) {
  auto format = BindFormat("chat-template", ModelParams(kModel, "cl100k_base"));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  Json record = WriteOne(**format, Conversation({Msg(Role::kUser, "What is 2+2?"), Msg(Role::kAssistant, "Four."),
                                                 Msg(Role::kUser, "And 3+3?"), Msg(Role::kAssistant, "Six, I think.")}));
  const std::string text = record["text"];
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_TRUE(tokenizer.has_value());
  std::vector<tokenize::TokenId> ids;
  std::vector<tokenize::TokenSpan> offsets;
  ASSERT_TRUE((*tokenizer)->Encode(text, {.allow_special = true}, &ids, &offsets).ok());
  ASSERT_EQ(record["input_ids"].get<std::vector<tokenize::TokenId>>(), ids);
  const auto mask = record["assistant_masks"].get<std::vector<int>>();
  ASSERT_EQ(mask.size(), ids.size());
  // The generation blocks hold "Four.<|im_end|>" and "Six, I think.<|im_end|>": the masked
  // tokens must be exactly the tokens overlapping those byte ranges.
  std::vector<std::pair<size_t, size_t>> spans;
  for (const std::string answer : {"Four.<|im_end|>", "Six, I think.<|im_end|>"}) {
    const size_t at = text.find("assistant\n" + answer);
    ASSERT_NE(at, std::string::npos);
    spans.emplace_back(at + 10, at + 10 + answer.size());
  }
  std::string masked;
  int ones = 0;
  for (size_t t = 0; t < ids.size(); ++t) {
    bool inside = false;
    for (const auto& [begin, end] : spans) inside |= offsets[t].begin < end && offsets[t].end > begin;
    EXPECT_EQ(mask[t], inside ? 1 : 0) << "token " << t << " '" << text.substr(offsets[t].begin, offsets[t].end - offsets[t].begin) << "'";
    if (mask[t]) {
      masked += text.substr(offsets[t].begin, offsets[t].end - offsets[t].begin);
      ++ones;
    }
  }
  EXPECT_GT(ones, 4);
  // cl100k_base writes "|>\n" as one token ("|>" glues to the newline after it), and a
  // token that overlaps a block is masked whole, as transformers' char_to_token does.
  EXPECT_EQ(masked, "Four.<|im_end|>\nSix, I think.<|im_end|>\n");
}

TEST(ChatTemplateFormatTest, WithoutAGenerationBlockTheMaskIsWhatEachAssistantTurnAdds) {
  // The turn's tokens past its prompt are marked, its end-of-turn token (<|endoftext|>, a
  // cl100k special token) included and the newline after it not.
  tunepack::testing::TempDir tmp;
  tunepack::testing::WriteFile(
      tmp / "tokenizer_config.json",
      R"({"chat_template": "{% for m in messages %}<{{ m.role }}>\n{{ m.content }}<|endoftext|>\n{% endfor %}{% if add_generation_prompt %}<assistant>\n{% endif %}"})");
  auto format = BindFormat("chat-template", ModelParams(tmp.path().string(), "cl100k_base"));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  const Json record = WriteOne(**format, Conversation({Msg(Role::kUser, "Two and two?"), Msg(Role::kAssistant, "Four."),
                                                       Msg(Role::kUser, "Thrice two?"), Msg(Role::kAssistant, "Six.")}));
  const auto ids = record["input_ids"].get<std::vector<tokenize::TokenId>>();
  const auto mask = record["assistant_masks"].get<std::vector<int>>();
  ASSERT_EQ(ids.size(), mask.size());
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_TRUE(tokenizer.has_value());
  std::string masked;
  for (size_t t = 0; t < ids.size(); ++t) {
    if (!mask[t]) continue;
    auto piece = (*tokenizer)->Decode(std::span<const tokenize::TokenId>(&ids[t], 1));
    ASSERT_TRUE(piece.has_value());
    masked += *piece + (t + 1 < ids.size() && !mask[t + 1] ? "|" : "");
  }
  EXPECT_EQ(masked, "Four.<|endoftext|>|Six.<|endoftext|>|");
  EXPECT_EQ(mask.back(), 0);  // the "\n" after the last <|endoftext|>
  // Without the newline after the header, cl100k reads ">Six" as one piece across the
  // turn's boundary: the prompt's tokens are not the whole text's, and the mask is refused.
  tunepack::testing::WriteFile(
      tmp / "tokenizer_config.json",
      R"({"chat_template": "{% for m in messages %}<{{ m.role }}>{{ m.content }}<|endoftext|>\n{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}"})");
  format = BindFormat("chat-template", ModelParams(tmp.path().string(), "cl100k_base"));
  ASSERT_TRUE(format.has_value());
  std::string out;
  EXPECT_THAT((*format)->write(Conversation({Msg(Role::kUser, "Thrice two?"), Msg(Role::kAssistant, "Six.")}), {}, out),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("a token spans the turn's boundary")));
}

TEST(ChatTemplateFormatTest, TemplateThatRewritesEarlierTurnsIsRefusedAsUnimplemented) {
  // This template marks the last assistant turn, so a past turn reads differently once a
  // later one follows: the mask cannot be cut from the whole text.
  tunepack::testing::TempDir tmp;
  tunepack::testing::WriteFile(
      tmp / "tokenizer_config.json",
      R"({"chat_template": "{% for m in messages %}{% if m.role == 'assistant' and loop.last %}[final] {% endif %}{{ m.content }}\n{% endfor %}"})");
  auto format = BindFormat("chat-template", ModelParams(tmp.path().string(), "cl100k_base"));
  ASSERT_TRUE(format.has_value());
  std::string out;
  EXPECT_THAT((*format)->write(Conversation({Msg(Role::kUser, "a"), Msg(Role::kAssistant, "b"), Msg(Role::kUser, "c"),
                                             Msg(Role::kAssistant, "d")}),
                               {}, out),
              StatusIs(StatusCode::kUnimplemented, HasSubstr("messages[1] (assistant)")));
  EXPECT_TRUE(out.empty());
  // The message quotes both renderings where they part, cut between characters.
  std::string accents = "a";
  for (int i = 0; i < 30; ++i) accents += "\u00e9";
  const Status refused = (*format)->write(
      Conversation({Msg(Role::kUser, "a"), Msg(Role::kAssistant, accents), Msg(Role::kUser, "c"), Msg(Role::kAssistant, "d")}),
      {}, out);
  EXPECT_EQ(refused.code(), StatusCode::kUnimplemented);
  EXPECT_TRUE(IsValidUtf8(refused.message())) << refused.message();
  EXPECT_THAT(refused.message(), HasSubstr("it has \"[final] a"));
  // One assistant turn: nothing to rewrite.
  const Json record = WriteOne(**format, Conversation({Msg(Role::kUser, "a"), Msg(Role::kAssistant, "b")}));
  EXPECT_EQ(record["text"], "a\n[final] b\n");
}

TEST(ChatTemplateFormatTest, SpecialTokenInsideContentIsRefusedWithATokenizer) {
  auto format = BindFormat("chat-template", ModelParams(kModel, "cl100k_base"));
  ASSERT_TRUE(format.has_value());
  std::string out;
  EXPECT_THAT((*format)->write(Conversation({Msg(Role::kUser, "say <|endoftext|>"), Msg(Role::kAssistant, "no")}),
                               {}, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("messages[0].content holds the special token")));
}

TEST(ChatTemplateFormatTest, PreferencePairIsThePromptAndEachAnswerAsTrlRendersThem) {
  auto format = BindFormat("chat-template", ModelParams(kModel, ""));
  ASSERT_TRUE(format.has_value());
  Result<Example> pair = testing::ReadRecord("trl-preference-text", R"({"prompt":"Sky?","chosen":"Blue.","rejected":"Green."})");
  ASSERT_TRUE(pair.has_value());
  Json record = WriteOne(**format, *pair);
  EXPECT_EQ(record["prompt"], "<|im_start|>user\nSky?<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(record["chosen"], "Blue.<|im_end|>\n");
  EXPECT_EQ(record["rejected"], "Green.<|im_end|>\n");
  EXPECT_EQ(record.size(), 3u);
  // KTO: the answer and its label.
  Result<Example> unpaired = testing::ReadRecord("trl-kto-text", R"({"prompt":"Sky?","completion":"Green.","label":false})");
  ASSERT_TRUE(unpaired.has_value());
  record = WriteOne(**format, *unpaired);
  EXPECT_EQ(record["completion"], "Green.<|im_end|>\n");
  EXPECT_EQ(record["label"], false);
  // A prompt that ends with the assistant cannot take the generation prompt.
  Result<Example> odd = testing::ReadRecord("trl-preference",
      R"({"prompt":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"chosen":[{"role":"assistant","content":"c"}],"rejected":[{"role":"assistant","content":"d"}]})");
  ASSERT_TRUE(odd.has_value());
  std::string out;
  EXPECT_THAT((*format)->write(*odd, {}, out),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("must end with a user turn")));
  EXPECT_TRUE(out.empty());
}

TEST(ChatTemplateFormatTest, PreferencePairWithATokenizerHasEachTextsIds) {
  auto format = BindFormat("chat-template", ModelParams(kModel, "cl100k_base"));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  Result<Example> pair = testing::ReadRecord("trl-preference-text", R"({"prompt":"Sky?","chosen":"Blue.","rejected":"Green."})");
  ASSERT_TRUE(pair.has_value());
  Json record = WriteOne(**format, *pair);
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_TRUE(tokenizer.has_value());
  for (const char* side : {"prompt", "chosen", "rejected"}) {
    std::vector<tokenize::TokenId> ids;
    tokenize::EncodeOptions encode;
    encode.allow_special = true;
    ASSERT_TRUE((*tokenizer)->Encode(record[side].get<std::string>(), encode, &ids).ok());
    EXPECT_EQ(record[std::string(side) + "_input_ids"].get<std::vector<tokenize::TokenId>>(), ids) << side;
  }
  // A special-token string inside an answer is refused, naming the side.
  pair->rejected[0].content = "<|endoftext|>";
  std::string out;
  EXPECT_THAT((*format)->write(*pair, {}, out),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("rejected[0].content holds the special token <|endoftext|>")));
}

}  // namespace
}  // namespace tunepack::format
