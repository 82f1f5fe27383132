// The templates shipped in templates/ render the documented Example JSON, both with
// Jinja2's default environment and with the chat-template one.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "tunepack/template/chat_template.h"
#include "tunepack/template/template.h"
#include "tp_test_paths.h"

namespace tunepack::jinja {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

Json RenderBundled(const std::string& name, const std::string& context_json, bool chat_environment = false) {
  const fs::path path = fs::path(TP_SOURCE_DIR) / "templates" / name;
  const std::string source = testing::ReadFile(path);
  const TemplateOptions options = chat_environment ? ChatTemplateOptions() : TemplateOptions{};
  auto tpl = Template::Parse(source, path.string(), options);
  EXPECT_TRUE(tpl.ok()) << tpl.error().message();
  if (!tpl.ok()) return nullptr;
  auto out = tpl->Render(*ParseJson(context_json));
  EXPECT_TRUE(out.ok()) << out.error().message();
  if (!out.ok()) return nullptr;
  Json parsed = Json::parse(*out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << *out;
  return parsed;
}

TEST(BundledTemplatesTest, ChunkToPretrainingKeepsHeadingContext) {
  for (bool chat : {false, true}) {
    Json out = RenderBundled("chunk_to_pretraining.jinja",
                             R"({"title": "Guide", "heading_path": ["Guide", "Setup", "Linux <x86>"],
                                 "text": "  Run make.\n"})",
                             chat);
    EXPECT_EQ(out["text"], "# Guide\n\n## Setup\n\n### Linux <x86>\n\nRun make.");
  }
  Json bare = RenderBundled("chunk_to_pretraining.jinja", R"({"text": "Just text, ünïcode."})");
  EXPECT_EQ(bare["text"], "Just text, ünïcode.");
}

TEST(BundledTemplatesTest, SectionToInstruction) {
  Json out = RenderBundled("section_to_instruction.jinja",
                           R"({"title": "Manual", "heading": "Resetting", "text": "Hold the button.\n"})");
  ASSERT_EQ(out["messages"].size(), 2u);
  EXPECT_EQ(out["messages"][0]["role"], "user");
  EXPECT_EQ(out["messages"][0]["content"], "Explain \"Resetting\" from \"Manual\".");
  EXPECT_EQ(out["messages"][1]["role"], "assistant");
  EXPECT_EQ(out["messages"][1]["content"], "Hold the button.");
  Json custom = RenderBundled("section_to_instruction.jinja",
                              R"({"heading": "H", "text": "T", "instruction": "How do I reset it?"})", true);
  EXPECT_EQ(custom["messages"][0]["content"], "How do I reset it?");
}

TEST(BundledTemplatesTest, QaToConversation) {
  Json out = RenderBundled("qa_to_conversation.jinja",
                           R"({"system": "Be brief.", "context": "Paris is in France.", "question": "Where is Paris?",
                               "answer": " France. "})");
  ASSERT_EQ(out["messages"].size(), 3u);
  EXPECT_EQ(out["messages"][0], (Json{{"role", "system"}, {"content", "Be brief."}}));
  EXPECT_EQ(out["messages"][1]["content"], "Paris is in France.\n\nWhere is Paris?");
  EXPECT_EQ(out["messages"][2]["content"], "France.");
  Json minimal = RenderBundled("qa_to_conversation.jinja", R"({"question": "Q \"quoted\"?", "answer": "A"})", true);
  ASSERT_EQ(minimal["messages"].size(), 2u);
  EXPECT_EQ(minimal["messages"][0]["content"], "Q \"quoted\"?");
}

TEST(BundledTemplatesTest, QaWithoutAnAnswerRendersNothing) {
  // Empty output is how a template tells `export --template` to skip a record.
  const fs::path path = fs::path(TP_SOURCE_DIR) / "templates" / "qa_to_conversation.jinja";
  auto tpl = Template::Parse(testing::ReadFile(path), path.string(), TemplateOptions{});
  ASSERT_TRUE(tpl.ok()) << tpl.error().message();
  for (const char* context : {R"({"question": "Q"})", R"({"question": "Q", "answer": " \n"})",
                              R"({"question": "Q", "answer": null})"}) {
    auto out = tpl->Render(*ParseJson(context));
    ASSERT_TRUE(out.ok()) << out.error().message();
    EXPECT_EQ(*out, "") << context;
  }
}

}  // namespace
}  // namespace tunepack::jinja
