// End-to-end tests of the per-example steps of `tunepack export`: PII redaction, language
// identification and filtering, decontamination and repeated-line removal. Each dropped
// example lands in rejected.jsonl with its reason, and the counts still add up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

nlohmann::json Counts(const fs::path& out) {
  return nlohmann::json::parse(ReadFile(out / "manifest.json")).at("counts");
}

const char kRecords[] =
    "{\"text\":\"Write to jane.doe@example.com or call +1 415 555 0199 about the queue workers "
    "and their retry schedule for tonight.\"}\n"
    "{\"text\":\"Der Arbeiter holt die Aufgabe aus der Warteschlange und bestätigt sie nach "
    "erfolgreicher Verarbeitung durch den Dienst.\"}\n"
    "{\"text\":\"The quick brown fox jumps over the lazy dog while the queue drains all the "
    "remaining tasks before midnight.\"}\n"
    "{\"text\":\"Operators restart a stuck worker with the restart command, and the server at "
    "8.8.8.8 keeps its lease until then.\"}\n";

TEST(ExportStepsTest, RedactsPiiAndCountsEachKindInTheManifest) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(out) +
                         " --text-field text --redact-pii --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("redacted PII: email 1, ipv4 1, phone 1"));
  const std::string data = ReadFile(out / "train.jsonl");
  EXPECT_THAT(data, HasSubstr("Write to [EMAIL] or call [PHONE] about"));
  EXPECT_THAT(data, HasSubstr("the server at [IP] keeps"));
  EXPECT_THAT(data, Not(HasSubstr("jane.doe")));
  const auto counts = Counts(out);
  EXPECT_EQ(counts.at("pii_redacted"), nlohmann::json::parse(R"({"email":1,"ipv4":1,"phone":1})"));

  // --pii-kinds narrows what is replaced.
  const fs::path only_email = tmp / "only_email";
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(only_email) +
                     " --text-field text --redact-pii --pii-kinds email --progress none 2>/dev/null")
                .exit_code,
            0);
  const std::string narrowed = ReadFile(only_email / "train.jsonl");
  EXPECT_THAT(narrowed, HasSubstr("[EMAIL] or call +1 415 555 0199"));
  EXPECT_THAT(narrowed, HasSubstr("server at 8.8.8.8"));
}

TEST(ExportStepsTest, WithoutRedactionTheManifestHasNoPiiCounts) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                     " --text-field text --progress none 2>/dev/null")
                .exit_code,
            0);
  EXPECT_FALSE(Counts(tmp / "out").contains("pii_redacted"));
  EXPECT_THAT(ReadFile(tmp / "out" / "train.jsonl"), HasSubstr("jane.doe@example.com"));
}

TEST(ExportStepsTest, LanguagesKeepsListedLanguagesAndRecordsTheRest) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(out) +
                         " --text-field text --languages en --with-metadata --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 0);  // a filter the user asked for is not a failure
  const auto written = JsonLines(out / "train.jsonl");
  ASSERT_EQ(written.size(), 3u);
  for (const auto& record : written) EXPECT_EQ(record.at("metadata").at("language"), "en");
  const auto rejected = JsonLines(out / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].at("reason"), "language");
  EXPECT_EQ(rejected[0].at("line"), 2);
  EXPECT_THAT(rejected[0].at("detail").get<std::string>(), HasSubstr("detected de"));
  const auto counts = Counts(out);
  EXPECT_EQ(counts.at("inputs"), 4);
  EXPECT_EQ(counts.at("filtered"), 1);
  EXPECT_EQ(counts.at("written").get<int>() + counts.at("filtered").get<int>() +
                counts.at("rejected").get<int>(),
            4);

  // --detect-language records without filtering.
  const fs::path all = tmp / "all";
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(all) +
                     " --text-field text --detect-language --with-metadata --progress none 2>/dev/null")
                .exit_code,
            0);
  const auto every = JsonLines(all / "train.jsonl");
  ASSERT_EQ(every.size(), 4u);
  EXPECT_EQ(every[1].at("metadata").at("language"), "de");
  // ... with CLD2's confidence, summarised per language in stats.json.
  const double score = every[1].at("metadata").at("language_score").get<double>();
  EXPECT_GT(score, 0.5);
  EXPECT_LE(score, 1.0);
  const auto stats = nlohmann::json::parse(ReadFile(all / "stats.json"));
  EXPECT_EQ(stats.at("language_scores").at("de").at("count"), stats.at("languages").at("de"));
}

TEST(ExportStepsTest, DecontaminationDropsRecordsSharingAnNgramWithEvaluationData) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  WriteFile(tmp / "eval.jsonl",
            "{\"question\":\"Which animal?\",\"answer\":\"the quick brown fox jumps over the lazy dog "
            "while the queue drains all the remaining tasks\"}\n");
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(out) +
                         " --text-field text --decontaminate " + Quote(tmp / "eval.jsonl") +
                         " --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 0);  // a filter the user asked for is not a failure
  const auto rejected = JsonLines(out / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].at("reason"), "contaminated");
  EXPECT_EQ(rejected[0].at("line"), 3);
  EXPECT_THAT(rejected[0].at("detail").get<std::string>(), HasSubstr("13-gram"));
  EXPECT_EQ(JsonLines(out / "train.jsonl").size(), 3u);

  auto missing = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "x") +
                          " --text-field text --decontaminate " + Quote(tmp / "nope.jsonl") + " 2>&1");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.out, HasSubstr("nope.jsonl"));
}

TEST(ExportStepsTest, RemoveRepeatedDropsBoilerplateLinesInsideADocument) {
  TempDir tmp;
  const std::string footer = "Copyright Kestrel Labs, all rights reserved.\n";
  WriteFile(tmp / "doc.txt", "First page text about the queue.\n" + footer +
                                 "Second page text about workers.\n" + footer +
                                 "Third page text about retries.\n" + footer);
  const fs::path out = tmp / "out";
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "doc.txt") + " -o " + Quote(out) +
                     " --remove-repeated lines --progress none 2>/dev/null")
                .exit_code,
            0);
  const auto written = JsonLines(out / "train.jsonl");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].at("text"),
            "First page text about the queue.\n" + footer +
                "Second page text about workers.\nThird page text about retries.\n");
}

TEST(ExportStepsTest, StepsAreDeterministicAtAnyThreadCountAndUsageErrorsAreClear) {
  TempDir tmp;
  std::string records;
  for (int i = 0; i < 400; ++i) records += kRecords;
  WriteFile(tmp / "in.jsonl", records);
  std::string first;
  for (const char* jobs : {"1", "3"}) {
    const fs::path out = tmp / (std::string("out") + jobs);
    ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(out) +
                       " --text-field text --redact-pii --languages en --with-metadata -j " + jobs +
                       " --progress none 2>/dev/null")
                  .exit_code,
              0);  // the language drops were asked for
    const std::string bytes = ReadFile(out / "train.jsonl") + ReadFile(out / "rejected.jsonl") +
                              ReadFile(out / "manifest.json");
    if (first.empty()) {
      first = bytes;
    } else {
      EXPECT_EQ(bytes, first) << "--jobs " << jobs;
    }
  }
  auto bad_kind = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "y") +
                           " --redact-pii --pii-kinds email,postcode 2>&1");
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_THAT(bad_kind.out, HasSubstr("--pii-kinds must be email, phone, ipv4, ipv6, secret, card or iban, not 'postcode'"));
  auto bad_mode = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "z") +
                           " --remove-repeated sentences 2>&1");
  EXPECT_EQ(bad_mode.exit_code, 2);
  EXPECT_THAT(bad_mode.out, HasSubstr("--remove-repeated must be off, lines or paragraphs"));
}

}  // namespace
}  // namespace tunepack
