// stats.json and report.html from one DatasetStats: stable keys, a self-contained page, and
// the same numbers in both.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/report_keys.h"
#include "tunepack/report/html_report.h"
#include "tunepack/report/stats_json.h"
#include "tunepack/report/stats_text.h"

namespace tunepack::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DatasetStats Sample() {
  DatasetStats s;
  s.files.resize(2);
  s.files[0] = {"train.jsonl", "openai", 5, 1, 1000, "train"};
  s.files[1] = {"validation.jsonl", "openai", 2, 0, 1793, "validation"};
  s.records = 7;
  s.conversations = 6;
  s.texts = 1;
  s.unreadable = 1;
  s.characters = 1234;
  for (uint64_t turns : {2u, 2u, 3u, 4u, 4u, 6u}) s.turns.Add(turns);
  s.tokenizer = "cl100k_base";
  for (uint64_t n : {12u, 40u, 41u, 90u, 300u, 310u, 2000u}) {
    s.tokens.Add(n);
    s.billed_per_example.Add(n);  // texts: billed as their tokens
    s.billed_per_epoch += std::min<uint64_t>(n, 1024);
    s.over_billing_cap += n > 1024;
  }
  s.billing_cap = 1024;
  s.tokens_by_role = {{"assistant", 1500}, {"user", 1193}, {"text", 0}};
  s.max_tokens = 1024;
  s.languages = {{"en", 5}, {"de", 2}};
  s.language_scores["de"].Add(0.9);
  s.language_scores["de"].Add(0.5);
  s.quality["words"].Add(10);
  s.quality["words"].Add(20);
  s.quality_records = 2;
  ExportCounts e;
  e.inputs = 10;
  e.written = 7;
  e.rejected = 3;
  e.rejected_by_reason = {{"duplicate", 2}, {"too_long", 1}};
  s.export_counts = e;
  s.price_per_million = 8.0;
  s.epochs = 3;
  return s;
}

TEST(StatsJsonTest, HasTheDocumentedKeys) {
  const nlohmann::json j = nlohmann::json::parse(StatsJson(Sample()));
  EXPECT_EQ(j["records"], 7);
  EXPECT_EQ(j["files"][0]["format"], "openai");
  EXPECT_EQ(j["files"][1]["split"], "validation");
  EXPECT_EQ(j["files"][1]["tokens"], 1793);
  EXPECT_EQ(j["splits"]["train"]["records"], 5);
  EXPECT_EQ(j["splits"]["validation"]["tokens"], 1793);
  EXPECT_EQ(j["turns"]["p50"], 3);
  EXPECT_EQ(j["tokens"]["total"], 12 + 40 + 41 + 90 + 300 + 310 + 2000);
  EXPECT_EQ(j["tokens"]["per_example"]["p90"], 2000);
  EXPECT_EQ(j["tokens"]["per_example"]["p50"], 90);
  EXPECT_EQ(j["tokens"]["over_limit"], 1);
  EXPECT_EQ(j["tokens"]["tokens_over_limit"], 2000 - 1024);
  EXPECT_EQ(j["tokens"]["histogram"].size(), kHistogramBins);
  EXPECT_EQ(j["export"]["duplicates"], 2);
  EXPECT_EQ(j["export"]["rejected_by_reason"]["too_long"], 1);
  EXPECT_EQ(j["languages"]["de"], 2);
  EXPECT_EQ(j["language_scores"]["de"]["count"], 2);
  EXPECT_EQ(j["language_scores"]["de"]["mean"], 0.7);
  EXPECT_EQ(j["quality"]["scores"]["words"]["mean"], 15.0);
  EXPECT_EQ(j["cost"]["billed_tokens"], (12 + 40 + 41 + 90 + 300 + 310 + 1024) * 3);
  EXPECT_EQ(j["cost"]["default_epochs"], false);
  EXPECT_EQ(j["billing"]["cap"], 1024);
  EXPECT_EQ(j["billing"]["over_cap"], 1);
  EXPECT_EQ(j["billing"]["tokens_per_epoch"], 12 + 40 + 41 + 90 + 300 + 310 + 1024);
  EXPECT_EQ(j["billing"]["per_example"]["max"], 2000);
}

TEST(StatsJsonTest, WithoutATokenizerTokensAreNull) {
  DatasetStats s = Sample();
  s.tokenizer.clear();
  const nlohmann::json j = nlohmann::json::parse(StatsJson(s));
  EXPECT_TRUE(j["tokens"].is_null());
  EXPECT_FALSE(j.contains("cost"));
  EXPECT_THAT(HtmlReport(s), HasSubstr("Token figures are omitted"));
  EXPECT_THAT(StatsText(s), HasSubstr("tokens: not counted"));
}

TEST(HtmlReportTest, IsSelfContained) {
  DatasetStats s = Sample();
  s.files[0].path = "<script>alert(1)</script>.jsonl";  // a hostile file name stays text
  const std::string html = HtmlReport(s);
  EXPECT_THAT(html, Not(HasSubstr("http:")));
  EXPECT_THAT(html, Not(HasSubstr("https:")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("<svg"));
}

TEST(HtmlReportTest, EveryNumberMatchesStatsJson) {
  const DatasetStats s = Sample();
  const nlohmann::json j = nlohmann::json::parse(StatsJson(s));
  const auto keys = testing::ReportDataKeys(HtmlReport(s));
  ASSERT_GT(keys.size(), 30u);
  for (const auto& [key, value] : keys) {
    const nlohmann::json expected = testing::JsonAtPath(j, key);
    ASSERT_FALSE(expected.is_null()) << key << " is not in stats.json";
    EXPECT_EQ(nlohmann::json::parse(value), expected) << key;
  }
}

TEST(HtmlReportTest, SameStatsSameBytes) {
  EXPECT_EQ(HtmlReport(Sample()), HtmlReport(Sample()));
  EXPECT_EQ(StatsJson(Sample()), StatsJson(Sample()));
}

}  // namespace
}  // namespace tunepack::report
