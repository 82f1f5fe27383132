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

// The openai format carries OpenAI's checks, and validate runs whatever a format carries:
// the 10-example file check and a record check fire on an openai file, not on the same
// conversations as sharegpt.
TEST(ValidateTest, AFormatsOwnChecksRunWithIt) {
  const auto openai = format::FindFormat("openai");
  ASSERT_TRUE(openai.has_value());
  EXPECT_TRUE((*openai)->checks.record && (*openai)->checks.file);
  testing::TempDir tmp;
  testing::WriteFile(tmp / "one.jsonl",
                     R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}],"note":1})" "\n");
  const std::vector<Problem> problems = Validate((tmp / "one.jsonl").string(), *openai);
  std::vector<std::string> messages;
  for (const Problem& p : problems) messages.push_back(p.message);
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("unrecognized top-level key \"note\"")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("1 examples; OpenAI fine-tuning needs at least 10")));
  const auto sharegpt = format::FindFormat("sharegpt");
  ASSERT_TRUE(sharegpt.has_value());
  EXPECT_FALSE((*sharegpt)->checks.record);
}

// A file that opens but whose read fails (/proc/self/mem has nothing mapped at offset 0) is
// an error with the OS reason, not a file of no records in no known format.
TEST(ValidateTest, AReadFailureIsReportedWithItsReason) {
  auto summary = ValidateFile("/proc/self/mem", nullptr, {}, [](const Problem&) {});
  ASSERT_FALSE(summary.has_value());
  EXPECT_THAT(summary.error().message(), HasSubstr("/proc/self/mem: cannot read: Input/output error"));
  auto missing = ValidateFile("/nonexistent/eval.jsonl", nullptr, {}, [](const Problem&) {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("eval.jsonl: cannot open: No such file or directory"));
  auto stdin_path = ValidateFile("-", nullptr, {}, [](const Problem&) {});
  ASSERT_FALSE(stdin_path.has_value());
  EXPECT_THAT(stdin_path.error().message(), HasSubstr("not standard input"));
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
