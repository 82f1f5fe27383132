// End-to-end: hostile templates and hostile JSON given to `render`, `chat-template` and
// `export --template` (issue 9). Each once killed the process (SIGFPE or a stack overflow);
// now each is a clear error with exit code 2, or a ledger line in an export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::string Deep(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

constexpr const char* kOverflow = "{{ (-9223372036854775807 - 1) // -1 }}{{ (-9223372036854775807 - 1) % -1 }}";

TEST(TemplateLimitsE2eTest, IntegerOverflowIsAnErrorInEveryCommand) {
  TempDir tmp;
  WriteFile(tmp / "t.jinja", kOverflow);
  auto render = RunShell("tunepack render " + Quote(tmp / "t.jinja") + " 2>&1");
  EXPECT_EQ(render.exit_code, 2) << render.out;
  EXPECT_THAT(render.out, HasSubstr("t.jinja:1:31: integer overflow: -9223372036854775808 // -1"));

  fs::create_directories(tmp / "model");
  WriteFile(tmp / "model" / "chat_template.jinja", kOverflow);
  WriteFile(tmp / "messages.json", R"([{"role": "user", "content": "hi"}])");
  auto chat = RunShell("tunepack chat-template --model " + Quote(tmp / "model") + " --messages " +
                       Quote(tmp / "messages.json") + " 2>&1");
  EXPECT_EQ(chat.exit_code, 2) << chat.out;
  EXPECT_THAT(chat.out, HasSubstr("integer overflow"));

  WriteFile(tmp / "in.jsonl", "{\"q\": \"a\"}\n");
  auto exported = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --template " + Quote(tmp / "t.jinja") +
                           " -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(exported.exit_code, 1) << exported.out;
  const nlohmann::json rejected = nlohmann::json::parse(ReadFile(tmp / "out" / "rejected.jsonl"));
  EXPECT_EQ(rejected["reason"], "template_error");
  EXPECT_THAT(rejected["detail"].get<std::string>(), HasSubstr("integer overflow"));
}

TEST(TemplateLimitsE2eTest, DeepJsonInputsAreRefused) {
  TempDir tmp;
  const std::string deep = Deep(100000);
  WriteFile(tmp / "t.jinja", "{{ x }}");
  WriteFile(tmp / "context.json", "{\"x\": " + deep + "}");
  auto render = RunShell("tunepack render " + Quote(tmp / "t.jinja") + " --context " + Quote(tmp / "context.json") +
                         " 2>&1");
  EXPECT_EQ(render.exit_code, 2) << render.out;
  EXPECT_THAT(render.out, HasSubstr("JSON nested more than 512 levels deep"));

  fs::create_directories(tmp / "model");
  WriteFile(tmp / "model" / "chat_template.jinja", "{{ messages }}");
  WriteFile(tmp / "ok.json", R"([{"role": "user", "content": "hi"}])");
  WriteFile(tmp / "deep.json", "[{\"role\": \"user\", \"content\": " + deep + "}]");
  const std::string chat = "tunepack chat-template --model " + Quote(tmp / "model");
  auto messages = RunShell(chat + " --messages " + Quote(tmp / "deep.json") + " 2>&1");
  EXPECT_EQ(messages.exit_code, 2) << messages.out;
  EXPECT_THAT(messages.out, HasSubstr("JSON nested more than 512 levels deep"));

  // 65,000 levels: as deep as one command-line argument (128 KiB) can be.
  WriteFile(tmp / "var.txt", "x=" + Deep(65000));
  auto var = RunShell(chat + " --messages " + Quote(tmp / "ok.json") + " --var \"$(cat " + Quote(tmp / "var.txt") +
                      ")\" 2>&1");
  EXPECT_EQ(var.exit_code, 2) << var.out;
  EXPECT_THAT(var.out, HasSubstr("--var x"));

  // A crafted model folder: a deep field anywhere in tokenizer_config.json.
  fs::create_directories(tmp / "crafted");
  WriteFile(tmp / "crafted" / "tokenizer_config.json",
            "{\"chat_template\": \"{{ messages }}\", \"added_tokens_decoder\": " + deep + "}");
  auto crafted = RunShell("tunepack chat-template --model " + Quote(tmp / "crafted") + " --messages " +
                          Quote(tmp / "ok.json") + " 2>&1");
  EXPECT_EQ(crafted.exit_code, 2) << crafted.out;
  EXPECT_THAT(crafted.out, HasSubstr("tokenizer_config.json"));
  EXPECT_THAT(crafted.out, HasSubstr("JSON nested more than 512 levels deep"));
}

TEST(TemplateLimitsE2eTest, DeepTemplatesAreRefused) {
  TempDir tmp;
  WriteFile(tmp / "t.jinja", "line one\n{{ " + std::string(10000, '(') + "1" + std::string(10000, ')') + " }}");
  auto render = RunShell("tunepack render " + Quote(tmp / "t.jinja") + " 2>&1");
  EXPECT_EQ(render.exit_code, 2) << render.out;
  EXPECT_THAT(render.out, HasSubstr("t.jinja:2:"));
  EXPECT_THAT(render.out, HasSubstr("template nested too deeply"));
}

}  // namespace
}  // namespace tunepack
