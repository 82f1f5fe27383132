// End-to-end tests of what every export now writes besides its data: stats.json and
// report.html (self-contained, numbers equal to stats.json, rendered by a real browser when
// one is installed), and of --max-example-tokens with each --on-overlong policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/report_keys.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

nlohmann::json ReadJson(const fs::path& file) { return nlohmann::json::parse(ReadFile(file)); }

std::vector<nlohmann::json> JsonLines(const fs::path& file) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(ReadFile(file));
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// Returns the cl100k_base token count of each text, through `tunepack tokenize`.
std::vector<size_t> TokenCounts(const TempDir& tmp, const std::vector<std::string>& texts) {
  std::string lines;
  for (const std::string& text : texts) lines += nlohmann::json({{"text", text}}).dump() + "\n";
  WriteFile(tmp / "texts.jsonl", lines);
  auto out = RunShell("tunepack tokenize --tokenizer cl100k_base < " + Quote(tmp / "texts.jsonl"));
  EXPECT_EQ(out.exit_code, 0);
  std::vector<size_t> counts;
  std::istringstream in(out.out);
  std::string line;
  while (std::getline(in, line)) counts.push_back(nlohmann::json::parse(line).size());
  return counts;
}

std::string Words(int n, const std::string& stem) {
  std::string text;
  for (int i = 0; i < n; ++i) text += (i ? " " : "") + stem + std::to_string(i);
  return text + ".";
}

// A mixed corpus: conversations, a duplicate, a malformed line.
std::string Corpus() {
  std::string out;
  for (int i = 0; i < 30; ++i) {
    out += nlohmann::json({{"messages", {{{"role", "user"}, {"content", "Question " + std::to_string(i) + "?"}},
                                         {{"role", "assistant"}, {"content", Words(3 + i * 7, "answer")}}}}})
               .dump() + "\n";
  }
  out += nlohmann::json({{"messages", {{{"role", "user"}, {"content", "Question 0?"}},
                                       {{"role", "assistant"}, {"content", Words(3, "answer")}}}}}).dump() + "\n";
  out += "{\"messages\": [\n";
  return out;
}

TEST(ExportReportTest, StatsJsonAndReportHtmlDescribeTheWrittenData) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", Corpus());
  auto run = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                      " -f openai --tokenizer cl100k_base --dedup exact --split train=0.7,validation=0.3"
                      " --progress none 2>/dev/null");
  ASSERT_EQ(run.exit_code, 1);
  const nlohmann::json manifest = ReadJson(tmp / "out" / "manifest.json");
  const nlohmann::json stats = ReadJson(tmp / "out" / "stats.json");
  EXPECT_EQ(stats["records"], manifest["counts"]["examples_written"]);
  EXPECT_EQ(stats["records"], 30);
  EXPECT_EQ(stats["files"].size(), manifest["outputs"].size());
  EXPECT_EQ(stats["files"][0]["path"], manifest["outputs"][0]["path"]);  // relative, like the manifest
  EXPECT_EQ(stats["export"]["rejected_by_reason"], manifest["counts"]["rejected_by_reason"]);
  EXPECT_EQ(stats["export"]["duplicates"], 1);
  EXPECT_EQ(stats["export"]["inputs"], 32);
  // Token totals equal the tokenizer's counts of what was written.
  std::vector<std::string> contents;
  for (const auto& output : manifest["outputs"]) {
    for (const auto& record : JsonLines(tmp / "out" / output["path"].get<std::string>())) {
      for (const auto& message : record["messages"]) contents.push_back(message["content"]);
    }
  }
  size_t total = 0;
  for (size_t n : TokenCounts(tmp, contents)) total += n;
  EXPECT_EQ(stats["tokens"]["total"], total);
  uint64_t file_tokens = 0;
  for (size_t i = 0; i < stats["files"].size(); ++i) {
    EXPECT_EQ(stats["files"][i]["split"], manifest["outputs"][i]["split"]);
    EXPECT_EQ(stats["files"][i]["records"], manifest["outputs"][i]["records"]);
    file_tokens += stats["files"][i]["tokens"].get<uint64_t>();
  }
  EXPECT_EQ(file_tokens, total);

  // `tunepack stats OUTDIR` recomputes the same figures from the folder alone.
  auto again = RunShell("cd " + Quote(tmp.path()) + " && tunepack stats out --json");
  ASSERT_EQ(again.exit_code, 0);
  nlohmann::json recomputed = nlohmann::json::parse(again.out);
  nlohmann::json written = stats;
  ASSERT_EQ(recomputed["files"].size(), written["files"].size());
  for (size_t i = 0; i < written["files"].size(); ++i) {
    // The export names files relative to its folder.
    EXPECT_EQ(recomputed["files"][i]["path"], "out/" + written["files"][i]["path"].get<std::string>());
    recomputed["files"][i]["path"] = written["files"][i]["path"];
  }
  EXPECT_EQ(recomputed, written);

  const std::string html = ReadFile(tmp / "out" / "report.html");
  for (const char* external : {"http:", "https:", "<script", "<link", "src=", "url(", "@import"}) {
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;
  }
  const auto keys = testing::ReportDataKeys(html);
  EXPECT_GT(keys.size(), 20u);
  for (const auto& [key, value] : keys) {
    const nlohmann::json expected = testing::JsonAtPath(stats, key);
    ASSERT_FALSE(expected.is_null()) << key;
    EXPECT_EQ(nlohmann::json::parse(value), expected) << key;
  }
}

TEST(ExportReportTest, WithoutTokenizerTokenFiguresAreOmittedAndSaidSo) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", Corpus());
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                     " -f openai --progress none 2>/dev/null").exit_code, 1);
  const nlohmann::json stats = ReadJson(tmp / "out" / "stats.json");
  EXPECT_TRUE(stats["tokens"].is_null());
  EXPECT_EQ(stats["conversations"], 31);
  EXPECT_THAT(ReadFile(tmp / "out" / "report.html"), HasSubstr("Token figures are omitted"));
}

// Renders the report in headless Chromium and checks that the browser built the charts: the
// DOM it ends with holds every bar of the page. Skipped where chromium is not installed
// (scripts/setup installs it).
TEST(ExportReportTest, ChromiumRendersTheCharts) {
  if (RunShell("command -v chromium >/dev/null").exit_code != 0) GTEST_SKIP() << "chromium is not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", Corpus());
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                     " -f openai --tokenizer cl100k_base --dedup exact --progress none 2>/dev/null").exit_code, 1);
  const std::string html = ReadFile(tmp / "out" / "report.html");
  auto dom = RunShell("chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
                      "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
                      Quote(tmp / "profile") + " --dump-dom 'file://" + (tmp / "out" / "report.html").string() +
                      "' 2>/dev/null");
  ASSERT_EQ(dom.exit_code, 0);
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_GT(count(html, "<rect"), 20u);
  EXPECT_EQ(count(dom.out, "<rect"), count(html, "<rect"));
  EXPECT_EQ(count(dom.out, "<svg"), count(html, "<svg"));
  EXPECT_THAT(dom.out, HasSubstr("Rejections by reason"));
}

class OverlongTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Record 1 fits; record 2 is a text about 3x over the limit; record 3 a long conversation.
    long_text_ = Words(150, "w");
    WriteFile(tmp_ / "in.jsonl",
              nlohmann::json({{"text", "Short and sweet."}}).dump() + "\n" +
                  nlohmann::json({{"text", long_text_}}).dump() + "\n");
  }
  testing::CommandOutput Export(const std::string& args) {
    return RunShell("tunepack export " + Quote(tmp_ / "in.jsonl") + " -o " + Quote(tmp_ / "out") +
                    " --tokenizer cl100k_base --max-example-tokens 100 --progress none " + args + " 2>&1");
  }
  TempDir tmp_;
  std::string long_text_;
};

TEST_F(OverlongTest, DropIsTheDefaultAndGoesToTheLedger) {
  auto run = Export("");
  EXPECT_EQ(run.exit_code, 0);  // filtered as asked, not a failure
  auto rejected = JsonLines(tmp_ / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "too_long");
  EXPECT_EQ(rejected[0]["line"], 2);
  const size_t tokens = TokenCounts(tmp_, {long_text_})[0];
  EXPECT_EQ(rejected[0]["detail"], std::to_string(tokens) + " tokens, over --max-example-tokens 100");
  EXPECT_EQ(ReadJson(tmp_ / "out" / "stats.json")["tokens"]["over_limit"], 0);
}

TEST_F(OverlongTest, SplitWritesPiecesThatFitAndCoverTheText) {
  auto run = Export("--on-overlong split");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  auto records = JsonLines(tmp_ / "out" / "train.jsonl");
  ASSERT_GE(records.size(), 3u);
  std::vector<std::string> pieces;
  std::string joined;
  for (size_t i = 1; i < records.size(); ++i) {
    pieces.push_back(records[i]["text"]);
    joined += pieces.back();
  }
  for (size_t n : TokenCounts(tmp_, pieces)) EXPECT_LE(n, 100u);
  EXPECT_EQ(joined, long_text_);  // the pieces reproduce the text: nothing lost, no overlap
  const nlohmann::json manifest = ReadJson(tmp_ / "out" / "manifest.json");
  EXPECT_EQ(manifest["counts"]["written"], 2);  // two inputs, both written
  EXPECT_EQ(manifest["counts"]["examples_written"], records.size());
}

TEST_F(OverlongTest, TruncateIsCountedAndSaid) {
  auto run = Export("--on-overlong truncate");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("1 examples were truncated to --max-example-tokens 100"));
  auto records = JsonLines(tmp_ / "out" / "train.jsonl");
  ASSERT_EQ(records.size(), 2u);
  const std::string cut = records[1]["text"];
  EXPECT_EQ(long_text_.rfind(cut, 0), 0u);  // a prefix of the original
  const size_t tokens = TokenCounts(tmp_, {cut})[0];
  EXPECT_LE(tokens, 100u);
  EXPECT_GE(tokens, 98u);  // cut at the limit, not far before it
  EXPECT_EQ(ReadJson(tmp_ / "out" / "manifest.json")["counts"]["examples_truncated"], 1);
  EXPECT_EQ(ReadJson(tmp_ / "out" / "stats.json")["export"]["examples_truncated"], 1);
}

TEST_F(OverlongTest, ConversationsCannotBeSplit) {
  WriteFile(tmp_ / "in.jsonl",
            nlohmann::json({{"messages", {{{"role", "user"}, {"content", "Go on."}},
                                          {{"role", "assistant"}, {"content", long_text_}}}}}).dump() + "\n");
  auto run = Export("-f openai --on-overlong split");
  EXPECT_EQ(run.exit_code, 1);
  auto rejected = JsonLines(tmp_ / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "too_long");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr("a conversation cannot be split"));
}

TEST(OverlongFlagsTest, NeedATokenizer) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"text\":\"x\"}\n");
  auto run = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                      " --max-example-tokens 10 --progress none 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("--max-example-tokens needs --tokenizer"));
  EXPECT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out2") +
                     " --on-overlong truncate --progress none 2>/dev/null").exit_code, 2);
}

}  // namespace
}  // namespace tunepack
