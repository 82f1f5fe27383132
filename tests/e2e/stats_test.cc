// End-to-end tests of `tunepack stats`: the numbers it prints are checked against the
// binary's own tokenizer (`tunepack tokenize`) and against the input's real shape.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <vector>
#include <sstream>
#include <string>

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

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

// Returns the token count of `text` as `tunepack tokenize` gives it.
uint64_t TokenizeCount(const TempDir& tmp, const std::string& text) {
  WriteFile(tmp / "one.jsonl", nlohmann::json({{"text", text}}).dump() + "\n");
  auto out = RunShell("tunepack tokenize --tokenizer cl100k_base < " + Quote(tmp / "one.jsonl"));
  EXPECT_EQ(out.exit_code, 0);
  return nlohmann::json::parse(out.out).size();
}

TEST(StatsCommandTest, TokensPerRoleMatchTheTokenizer) {
  TempDir tmp;
  const std::vector<std::vector<std::pair<std::string, std::string>>> chats = {
      {{"system", "You answer in French."}, {"user", "How are you today?"}, {"assistant", "Très bien, merci !"}},
      {{"user", "Count to five."}, {"assistant", "1, 2, 3, 4, 5."}, {"user", "Now backwards."},
       {"assistant", "5, 4, 3, 2, 1."}},
  };
  std::string file;
  std::map<std::string, uint64_t> by_role;
  std::vector<uint64_t> per_example;
  for (const auto& chat : chats) {
    nlohmann::json messages = nlohmann::json::array();
    uint64_t total = 0;
    for (const auto& [role, content] : chat) {
      messages.push_back({{"role", role}, {"content", content}});
      const uint64_t n = TokenizeCount(tmp, content);
      by_role[role] += n;
      total += n;
    }
    per_example.push_back(total);
    file += nlohmann::json({{"messages", messages}}).dump() + "\n";
  }
  WriteFile(tmp / "chat.jsonl", file);
  auto result = RunShell("tunepack stats " + Quote(tmp / "chat.jsonl") +
                         " --tokenizer cl100k_base --max-tokens 15 --price-per-million 10 --epochs 2 --json");
  ASSERT_EQ(result.exit_code, 0);
  const nlohmann::json stats = nlohmann::json::parse(result.out);
  EXPECT_EQ(stats["records"], 2);
  EXPECT_EQ(stats["conversations"], 2);
  EXPECT_EQ(stats["files"][0]["format"], "openai");
  EXPECT_EQ(stats["turns"]["min"], 3);
  EXPECT_EQ(stats["turns"]["max"], 4);
  for (const auto& [role, n] : by_role) EXPECT_EQ(stats["tokens"]["by_role"][role], n) << role;
  const uint64_t total = per_example[0] + per_example[1];
  EXPECT_EQ(stats["tokens"]["total"], total);
  EXPECT_EQ(stats["tokens"]["per_example"]["max"], std::max(per_example[0], per_example[1]));
  // Billed: the contents plus OpenAI's overhead, 3 and the role per message and 3 for the
  // reply, each example up to the limit.
  uint64_t over = 0, billed = 0;
  for (size_t i = 0; i < chats.size(); ++i) {
    over += per_example[i] > 15;
    uint64_t n = per_example[i] + 3;
    for (const auto& [role, content] : chats[i]) n += 3 + TokenizeCount(tmp, role);
    billed += std::min<uint64_t>(n, 15);
  }
  EXPECT_EQ(stats["tokens"]["over_limit"], over);
  EXPECT_EQ(stats["cost"]["billed_tokens"], billed * 2);
  EXPECT_DOUBLE_EQ(stats["cost"]["estimated"].get<double>(),
                   std::round(billed * 2 / 1e6 * 10 * 10000) / 10000);
}

TEST(StatsCommandTest, SummaryWithoutTokenizerSaysTokensAreNotCounted) {
  TempDir tmp;
  WriteFile(tmp / "a.jsonl", "{\"instruction\":\"Say hi\",\"input\":\"\",\"output\":\"Hi\"}\n{oops\n");
  auto result = RunShell("tunepack stats " + Quote(tmp / "a.jsonl") + " 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);  // one unreadable record
  EXPECT_THAT(result.out, HasSubstr("(alpaca, 1 records, 1 unreadable)"));
  EXPECT_THAT(result.out, HasSubstr("tokens: not counted (pass --tokenizer)"));
}

TEST(StatsCommandTest, ExportFolderBringsItsLedgerAndHtmlIsWritten) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"text\":\"Alpha document.\"}\n{\"text\":\"Alpha document.\"}\n{\"text\":\"Beta.\"}\n");
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                     " --dedup exact --progress none 2>/dev/null").exit_code, 0);
  auto result = RunShell("tunepack stats " + Quote(tmp / "out") + " --json --html " + Quote(tmp / "r.html"));
  ASSERT_EQ(result.exit_code, 0);
  const nlohmann::json stats = nlohmann::json::parse(result.out);
  EXPECT_EQ(stats["records"], 2);
  EXPECT_EQ(stats["export"]["duplicates"], 1);
  EXPECT_EQ(stats["export"]["filtered_by_reason"]["duplicate"], 1);
  EXPECT_EQ(stats["export"]["filtered"], 1);
  EXPECT_THAT(ReadFile(tmp / "r.html"), HasSubstr("<h2>Rejections by reason</h2>"));
}

TEST(StatsCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunShell("tunepack stats /nonexistent.jsonl 2>/dev/null").exit_code, 2);
  EXPECT_EQ(RunShell("tunepack stats x.jsonl --max-tokens 5 2>/dev/null").exit_code, 2);
}


// --- OpenAI's billing arithmetic, against the cookbook notebook's -------------------------

// The arithmetic of OpenAI's data-preparation notebook (openai-cookbook
// examples/Chat_finetuning_data_prep.ipynb), written out in Python as the notebook has it,
// with tiktoken's ids (npm `tiktoken`, through tests/parity/tokenize/tiktoken_reference.js)
// in place of the Python package. Prints the notebook's figures as JSON.
const char kNotebookReference[] = R"PY(
import json, os, subprocess, sys, tempfile
data_path, reference_js = sys.argv[1], sys.argv[2]
with open(data_path, encoding="utf-8") as f:
    dataset = [json.loads(line) for line in f]

# tiktoken's ids of every string the notebook encodes, in one node process.
texts = sorted({value for ex in dataset for message in ex["messages"] for value in message.values()})
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "t.jsonl"), "w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps({"text": text}) + "\n")
    subprocess.run(["node", reference_js, "cl100k_base", os.path.join(tmp, "t.jsonl"), os.path.join(tmp, "t.ids")],
                   check=True, timeout=60)
    with open(os.path.join(tmp, "t.ids")) as f:
        lengths = {text: len(json.loads(line)) for text, line in zip(texts, f)}

def num_tokens_from_messages(messages, tokens_per_message=3, tokens_per_name=1):
    num_tokens = 0
    for message in messages:
        num_tokens += tokens_per_message
        for key, value in message.items():
            num_tokens += lengths[value]
            if key == "name":
                num_tokens += tokens_per_name
    num_tokens += 3
    return num_tokens

n_missing_system = 0
n_missing_user = 0
convo_lens = []
for ex in dataset:
    messages = ex["messages"]
    if not any(message["role"] == "system" for message in messages):
        n_missing_system += 1
    if not any(message["role"] == "user" for message in messages):
        n_missing_user += 1
    convo_lens.append(num_tokens_from_messages(messages))
n_too_long = sum(l > 16385 for l in convo_lens)

MAX_TOKENS_PER_EXAMPLE = 16385
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25
n_epochs = TARGET_EPOCHS
n_train_examples = len(dataset)
if n_train_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
    n_epochs = min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_train_examples)
elif n_train_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
    n_epochs = max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_train_examples)
n_billing_tokens_in_dataset = sum(min(MAX_TOKENS_PER_EXAMPLE, length) for length in convo_lens)
print(json.dumps({"missing_system": n_missing_system, "missing_user": n_missing_user,
                  "convo_lens": convo_lens, "too_long": n_too_long, "epochs": n_epochs,
                  "billing_tokens": n_billing_tokens_in_dataset,
                  "charged": n_epochs * n_billing_tokens_in_dataset}))
)PY";

// Returns `count` chat examples in OpenAI's format: with and without a system message, a
// named user, an assistant-only one, and one longer than the 16,385-token limit.
std::string NotebookFixture(size_t count) {
  std::string file;
  for (size_t i = 0; i < count; ++i) {
    nlohmann::json messages = nlohmann::json::array();
    if (i % 3 != 0) messages.push_back({{"role", "system"}, {"content", "You are terse. Rule " + std::to_string(i) + "."}});
    if (i % 7 != 5) {
      nlohmann::json user = {{"role", "user"}, {"content", "Question " + std::to_string(i) + ": what is " + std::to_string(i * 17) + "?"}};
      if (i % 4 == 1) user["name"] = "alice_" + std::to_string(i);
      messages.push_back(user);
    }
    std::string answer = "It is " + std::to_string(i * 17) + ". Ünïcödé, 日本語, emoji 🎉.";
    if (i == 2) {
      for (int w = 0; w < 9000; ++w) answer += " token" + std::to_string(w % 97);
    }
    messages.push_back({{"role", "assistant"}, {"content", answer}});
    if (i % 5 == 4) {
      messages.push_back({{"role", "user"}, {"content", "And twice that?"}});
      messages.push_back({{"role", "assistant"}, {"content", std::to_string(i * 34)}});
    }
    file += nlohmann::json({{"messages", messages}}).dump() + "\n";
  }
  return file;
}

// Checks `tunepack stats --json` on `count` examples against the notebook's figures.
void ExpectNotebookFigures(size_t count) {
  const fs::path reference_js = fs::path(TP_SOURCE_DIR) / "tests/parity/tokenize/tiktoken_reference.js";
  if (!fs::exists(fs::path(TP_SOURCE_DIR) / "tests/peers/node_modules/tiktoken")) {
    GTEST_SKIP() << "tests/peers/node_modules is not installed (scripts/test-peers)";
  }
  TempDir tmp;
  WriteFile(tmp / "train.jsonl", NotebookFixture(count));
  WriteFile(tmp / "notebook.py", kNotebookReference);
  auto reference = RunShell("/usr/bin/python3 " + Quote(tmp / "notebook.py") + " " + Quote(tmp / "train.jsonl") + " " +
                            Quote(reference_js) + " 2>&1");
  ASSERT_EQ(reference.exit_code, 0) << reference.out;
  const nlohmann::json expected = nlohmann::json::parse(reference.out);
  auto result = RunShell("tunepack stats " + Quote(tmp / "train.jsonl") +
                         " --tokenizer cl100k_base --price-per-million 8 --json");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const nlohmann::json stats = nlohmann::json::parse(result.out);
  EXPECT_EQ(stats["missing_system"], expected["missing_system"]);
  EXPECT_EQ(stats["missing_user"], expected["missing_user"]);
  const auto lens = expected["convo_lens"].get<std::vector<uint64_t>>();
  EXPECT_EQ(stats["billing"]["per_example"]["min"], *std::min_element(lens.begin(), lens.end()));
  EXPECT_EQ(stats["billing"]["per_example"]["max"], *std::max_element(lens.begin(), lens.end()));
  EXPECT_EQ(stats["billing"]["cap"], 16385);
  EXPECT_EQ(stats["billing"]["over_cap"], expected["too_long"]);
  EXPECT_EQ(stats["billing"]["tokens_per_epoch"], expected["billing_tokens"]);
  EXPECT_EQ(stats["cost"]["epochs"], expected["epochs"]);
  EXPECT_EQ(stats["cost"]["default_epochs"], true);
  EXPECT_EQ(stats["cost"]["billed_tokens"], expected["charged"]);
  EXPECT_DOUBLE_EQ(stats["cost"]["estimated"].get<double>(),
                   std::round(expected["charged"].get<double>() / 1e6 * 8 * 10000) / 10000);
}

TEST(StatsCommandTest, BillingMatchesOpenAiNotebookOnAFewExamples) {
  // 12 examples: 12 x 3 < 100, so the notebook trains 100 / 12 = 8 epochs.
  ExpectNotebookFigures(12);
}

TEST(StatsCommandTest, BillingMatchesOpenAiNotebookAtTheDefaultEpochs) {
  // 40 examples: 40 x 3 is within 100..25,000, so 3 epochs.
  ExpectNotebookFigures(40);
}

TEST(StatsCommandTest, DefaultEpochsFollowOpenAisRule) {
  // The notebook's rule at its edges, through the summary line.
  TempDir tmp;
  for (const auto& [count, epochs] : std::vector<std::pair<size_t, int>>{{1, 25}, {3, 25}, {4, 25}, {5, 20}, {33, 3}, {34, 3}}) {
    std::string file;
    for (size_t i = 0; i < count; ++i) {
      file += R"({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]})" "\n";
    }
    WriteFile(tmp / "d.jsonl", file);
    auto result = RunShell("tunepack stats " + Quote(tmp / "d.jsonl") + " --tokenizer cl100k_base --price-per-million 1");
    EXPECT_THAT(result.out, HasSubstr("over " + std::to_string(epochs) + " epochs (OpenAI's default for " +
                                      std::to_string(count) + " examples)"))
        << count;
  }
  // The rule itself above 8,333 examples (25,000 / 3) is in dataset_stats_test.
}

}  // namespace
}  // namespace tunepack
