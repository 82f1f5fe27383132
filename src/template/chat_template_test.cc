#include "tunepack/template/chat_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::jinja {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

constexpr const char* kChatMl =
    "{% for m in messages %}{{ bos_token if loop.first }}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

TEST(ChatTemplateTest, RendersWithSpecialTokensAndGenerationPrompt) {
  auto tokens = ParseJson(R"({"bos_token": "<s>"})");
  ASSERT_TRUE(tokens.ok());
  auto chat = ChatTemplate::Create(kChatMl, *tokens, "chatml");
  ASSERT_TRUE(chat.ok()) << chat.error().message();
  ChatInputs in;
  in.messages = *ParseJson(R"([{"role": "user", "content": "Hi"}])");
  in.add_generation_prompt = true;
  auto out = chat->Render(in);
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(*out, "<s><|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ChatTemplateTest, RaiseExceptionBecomesAnError) {
  auto chat = ChatTemplate::Create("{{ raise_exception('roles must alternate') }}", Value::MakeDict(), "t");
  ASSERT_TRUE(chat.ok());
  EXPECT_THAT(chat->Render(ChatInputs{}), StatusIs(StatusCode::kInvalidArgument, HasSubstr("roles must alternate")));
}

TEST(ChatTemplateTest, ToJsonAsTransformers) {
  auto chat = ChatTemplate::Create("{{ tools|tojson }}|{{ tools|tojson(indent=2) }}", Value::MakeDict(), "t");
  ASSERT_TRUE(chat.ok());
  ChatInputs in;
  in.tools = *ParseJson(R"([{"name": "é<", "b": 1}])");
  auto out = chat->Render(in);
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(*out, "[{\"name\": \"é<\", \"b\": 1}]|[\n  {\n    \"name\": \"é<\",\n    \"b\": 1\n  }\n]");
}

TEST(ChatTemplateTest, LoadsDirectoryPreferringChatTemplateJinja) {
  testing::TempDir dir;
  testing::WriteFile(dir / "tokenizer_config.json",
                     R"({"chat_template": "from config", "eos_token": {"content": "</s>"}})");
  auto from_config = ChatTemplate::LoadFromDirectory(dir.path().string());
  ASSERT_TRUE(from_config.ok()) << from_config.error().message();
  EXPECT_EQ(*from_config->Render(ChatInputs{}), "from config");
  testing::WriteFile(dir / "chat_template.jinja", "from jinja {{ eos_token }}\n");
  auto from_file = ChatTemplate::LoadFromDirectory(dir.path().string());
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file->Render(ChatInputs{}), "from jinja </s>");
}

TEST(ChatTemplateTest, GenerationSpansMarkAssistantOutput) {
  auto chat = ChatTemplate::Create("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}{% endfor %}",
                                   Value::MakeDict(), "t");
  ASSERT_TRUE(chat.ok());
  ChatInputs in;
  in.messages = *ParseJson(R"([{"role": "user", "content": "ab"}, {"role": "assistant", "content": "cde"}])");
  std::vector<std::pair<size_t, size_t>> spans;
  auto out = chat->Render(in, &spans);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], std::make_pair(size_t{2}, size_t{5}));

  // RenderTo appends to what the string holds, the spans counted in the whole string; a
  // raise_exception leaves what was rendered before it.
  std::string text = "xy";
  spans.clear();
  ASSERT_TRUE(chat->RenderTo(in, text, &spans).ok());
  EXPECT_EQ(text, "xy" + *out);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0], std::make_pair(size_t{4}, size_t{7}));
  auto raising = ChatTemplate::Create("{{ messages[0].content }}{{ raise_exception('no') }}", Value::MakeDict(), "t");
  ASSERT_TRUE(raising.ok());
  text.clear();
  EXPECT_FALSE(raising->RenderTo(in, text).ok());
  EXPECT_EQ(text, "ab");
}

// Renders on one thread share the context dict: no render sees the variables of the one
// before it, also when that one failed.
TEST(ChatTemplateTest, RendersSeeOnlyTheirOwnVariables) {
  auto chat = ChatTemplate::Create("{{ messages | length }}:{{ flag | default('none') }}:{{ raise_exception('stop') if stop }}",
                                   Value::MakeDict(), "t");
  ASSERT_TRUE(chat.ok());
  ChatInputs with;
  with.messages = *ParseJson(R"([{"role": "user", "content": "a"}, {"role": "user", "content": "b"}])");
  with.extra = *ParseJson(R"({"flag": "set", "stop": true})");
  EXPECT_FALSE(chat->Render(with).ok());
  with.extra = *ParseJson(R"({"flag": "set"})");
  auto first = chat->Render(with);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "2:set:");
  ChatInputs without;
  without.messages = *ParseJson(R"([{"role": "user", "content": "c"}])");
  auto second = chat->Render(without);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, "1:none:");
}

// The context's keys up to the special tokens are bound to the template's variables once,
// when the template is made: a special token named like a fixed key replaces it, extra
// arguments replace either, and changing the dict the template was made from changes nothing.
TEST(ChatTemplateTest, SpecialTokensAndExtrasBindWhereTheyBelong) {
  Value tokens = *ParseJson(R"({"bos_token": "<s>", "tools": "T", "eos_token": "</s>", "unused": "u"})");
  auto chat = ChatTemplate::Create("{{ bos_token }}|{{ tools }}|{{ eos_token }}|{{ x }}|{{ messages | length }}", tokens, "t");
  ASSERT_TRUE(chat.ok());
  tokens.as_dict().items.clear();
  ChatInputs in;
  in.tools = *ParseJson(R"([{"name": "f"}])");
  auto first = chat->Render(in);
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(*first, "<s>|T|</s>||0");
  in.extra = *ParseJson(R"({"eos_token": "E", "x": 1, "tools": "X"})");
  auto second = chat->Render(in);
  ASSERT_TRUE(second.ok()) << second.error().message();
  EXPECT_EQ(*second, "<s>|X|E|1|0");
}

}  // namespace
}  // namespace tunepack::jinja
