// End-to-end tests of targets: `export --target` rejects what the target would refuse and
// writes its companion file, refuses a conflicting --format; `convert --to TARGET`;
// `validate --target` reports the target's rules and file limits.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

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

constexpr const char* kEndsOnAssistant =
    R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})";
constexpr const char* kEndsOnUser =
    R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"more?"}]})";

TEST(TargetsCommandTest, ExportRejectsWhatTheTargetRefusesWithTheReason) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.jsonl", std::string(kEndsOnAssistant) + "\n" + kEndsOnUser + "\n");
  auto run = RunShell("tunepack export " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "out") +
                      " --target mistral --progress none 2>/dev/null");
  EXPECT_EQ(run.exit_code, 1);  // finished, one input rejected
  EXPECT_EQ(ReadFile(tmp.path() / "out" / "train.jsonl"), std::string(kEndsOnAssistant) + "\n");
  EXPECT_THAT(ReadFile(tmp.path() / "out" / "rejected.jsonl"),
              HasSubstr("turn 3: mistral needs the last message to be the assistant's"));
  // Fewer examples than OpenAI takes: a warning in the manifest, the data is still written.
  auto sft = RunShell("tunepack export " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "sft") +
                      " --target openai-sft --progress none 2>/dev/null");
  EXPECT_THAT(ReadFile(tmp.path() / "sft" / "manifest.json"),
              HasSubstr("train.jsonl: 2 examples; openai-sft needs at least 10"));
}

TEST(TargetsCommandTest, AFormatTheTargetDoesNotTakeIsRefused) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.jsonl", std::string(kEndsOnAssistant) + "\n");
  auto run = RunShell("tunepack export " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "out") +
                      " --target llama-factory --format openai --progress none 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("--format openai conflicts with --target llama-factory"));
  EXPECT_FALSE(fs::exists(tmp.path() / "out" / "train.jsonl"));
  // One of the target's formats is taken, and its dataset_info.json describes the file.
  auto alpaca = RunShell("tunepack export " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "lf") +
                         " --target llama-factory --format alpaca --progress none 2>/dev/null");
  EXPECT_EQ(alpaca.exit_code, 0);
  EXPECT_EQ(ReadFile(tmp.path() / "lf" / "dataset_info.json"),
            "{\n  \"lf_train\": {\"file_name\":\"train.jsonl\",\"formatting\":\"alpaca\",\"columns\":{\"prompt\":"
            "\"instruction\",\"query\":\"input\",\"response\":\"output\"}}\n}\n");
  EXPECT_THAT(ReadFile(tmp.path() / "lf" / "manifest.json"), HasSubstr("\"target_file\""));
  // dataset_info.json describes JSONL files, so the Parquet layout is refused before any work.
  auto hf = RunShell("tunepack export " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "hf") +
                     " --target llama-factory --layout hf --progress none 2>&1");
  EXPECT_EQ(hf.exit_code, 2);
  EXPECT_THAT(hf.out, HasSubstr("--target llama-factory writes dataset_info.json describing JSONL files"));
  EXPECT_FALSE(fs::exists(tmp.path() / "hf"));
}

TEST(TargetsCommandTest, ATargetsFormatRefusesFirstWhatItCannotHold) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.jsonl",
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r","tool_call_id":"c"},{"role":"assistant","content":"a"}]})"
            "\n");
  RunShell("tunepack convert " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "out") +
           " --to vertex-gemini --progress none 2>/dev/null");
  EXPECT_THAT(ReadFile(tmp.path() / "out" / "rejected.jsonl"), HasSubstr("vertex-gemini cannot hold the tool calls"));
}

TEST(TargetsCommandTest, ConvertTakesATargetName) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.jsonl", std::string(kEndsOnAssistant) + "\n");
  auto run = RunShell("tunepack convert " + Quote(tmp.path() / "in.jsonl") + " -o " + Quote(tmp.path() / "out") +
                      " --to bedrock-nova --progress none 2>/dev/null");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(ReadFile(tmp.path() / "out" / "train.jsonl"),
            R"({"schemaVersion":"bedrock-conversation-2024","messages":[{"role":"user","content":[{"text":"q"}]},{"role":"assistant","content":[{"text":"a"}]}]})"
            "\n");
}

TEST(TargetsCommandTest, ValidateAppliesTheTargetsRulesAndLimits) {
  TempDir tmp;
  WriteFile(tmp.path() / "in.jsonl", std::string(kEndsOnAssistant) + "\n" + kEndsOnUser + "\n");
  auto run = RunShell("tunepack validate --target openai-sft " + Quote(tmp.path() / "in.jsonl"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("in.jsonl:1: error: 2 examples; openai-sft needs at least 10"));
  auto mistral = RunShell("tunepack validate --target mistral " + Quote(tmp.path() / "in.jsonl"));
  EXPECT_THAT(mistral.out, HasSubstr("in.jsonl:2: error: turn 3: mistral needs the last message to be the assistant's"));
  auto wrong = RunShell("tunepack validate --target vertex-gemini " + Quote(tmp.path() / "in.jsonl") + " 2>&1");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.out, HasSubstr("the file is openai, and target vertex-gemini takes the format vertex-gemini"));
}

}  // namespace
}  // namespace tunepack
