#include "tunepack/report/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tunepack::report {
namespace {

using ::testing::HasSubstr;

std::vector<Problem> Validate(const std::string& path, const format::Format* forced = nullptr,
                              ValidationSummary* summary_out = nullptr) {
  std::vector<Problem> problems;
  auto summary = ValidateFile(path, forced, {}, [&](const Problem& p) { problems.push_back(p); });
  EXPECT_TRUE(summary.has_value()) << summary.error().message();
  if (summary_out && summary.has_value()) *summary_out = *summary;
  return problems;
}

TEST(ValidateTest, OpenAiChecksAreRegistered) {
  EXPECT_NE(BuiltinRecordChecks().Find("openai"), nullptr);
  RecordChecksRegistry registry;
  ASSERT_TRUE(RegisterOpenAiChecks(registry).ok());
  EXPECT_FALSE(RegisterOpenAiChecks(registry).ok());  // a name is registered once
}

TEST(ValidateTest, ByteOrderMarkIsAnErrorOnLineOne) {
  testing::TempDir tmp;
  std::string file = "\xEF\xBB\xBF";
  for (int i = 0; i < 10; ++i) {
    file += R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})" "\n";
  }
  testing::WriteFile(tmp / "bom.jsonl", file);
  ValidationSummary summary;
  auto problems = Validate((tmp / "bom.jsonl").string(), nullptr, &summary);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("byte-order mark"));
  EXPECT_EQ(summary.format, "openai");  // detected despite the mark
  EXPECT_EQ(summary.records, 10u);
  EXPECT_EQ(summary.errors, 1u);
}

TEST(ValidateTest, PlainFileFormatsAreSplitAndCounted) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "notes.txt", "A document.\n");
  ValidationSummary summary;
  EXPECT_TRUE(Validate((tmp / "notes.txt").string(), nullptr, &summary).empty());
  EXPECT_EQ(summary.format, "text");
  EXPECT_EQ(summary.records, 1u);
}

TEST(ValidateTest, ProblemsComeInLineOrder) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "a.jsonl",
                     "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}\n"
                     "nope\n"
                     "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"\"}]}\n");
  auto problems = Validate((tmp / "a.jsonl").string(), *format::FindFormat("openai"));
  ASSERT_GE(problems.size(), 3u);
  EXPECT_EQ(problems[0].line, 1u);
  EXPECT_EQ(problems[1].line, 2u);
  EXPECT_EQ(problems[2].line, 3u);
  EXPECT_THAT(problems[2].message, HasSubstr("empty content"));
}

}  // namespace
}  // namespace tunepack::report
