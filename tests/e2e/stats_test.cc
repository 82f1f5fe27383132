// End-to-end tests of `tunepack stats`: the numbers it prints are checked against the
// binary's own tokenizer (`tunepack tokenize`) and against the input's real shape.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
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
  uint64_t over = 0, billed = 0;
  for (uint64_t n : per_example) {
    over += n > 15;
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

}  // namespace
}  // namespace tunepack
