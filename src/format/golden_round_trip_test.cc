// Round trips on the canonical records in tests/golden/format/: every JSONL golden line is
// detected as its own format, read, and written back byte for byte (with metadata); every
// plain golden file is split and written back byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::tunepack::testing::IsOk;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

class JsonlGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonlGoldenTest, EachLineIsDetectedReadAndWrittenBackByteForByte) {
  const std::string& name = GetParam();
  const std::vector<std::string> lines = GoldenLines(name + ".jsonl");
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    SCOPED_TRACE(line);
    EXPECT_EQ(DetectName(line), name);
    Result<Example> example = ReadRecord(name, line);
    ASSERT_THAT(example, IsOk());
    Result<std::string> written = WriteExample(name, *example, {.include_metadata = true});
    ASSERT_THAT(written, IsOk());
    EXPECT_EQ(*written, line + "\n");
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, JsonlGoldenTest,
                         ::testing::Values("openai", "sharegpt", "alpaca", "chatml", "jsonl",
                                           "openai-dpo", "trl-preference", "trl-preference-implicit",
                                           "trl-preference-text", "trl-kto", "trl-kto-text",
                                           "alpaca-preference", "sharegpt-preference", "anthropic-hh",
                                           "bedrock-claude", "bedrock-nova", "vertex-gemini",
                                           "axolotl-input-output", "prompt-completion"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

struct PlainGolden {
  std::string format;
  std::string file;
};

class PlainGoldenTest : public ::testing::TestWithParam<PlainGolden> {};

TEST_P(PlainGoldenTest, SplitThenWriteGivesTheFileBack) {
  const std::string file = GoldenFile(GetParam().file);
  Result<std::vector<Example>> examples = SplitFile(GetParam().format, file);
  ASSERT_THAT(examples, IsOk());
  ASSERT_GE(examples->size(), 2u);
  const Format* format = *FindFormat(GetParam().format);
  std::string written;
  for (size_t i = 0; i < examples->size(); ++i) {
    if (i > 0) written += format->separator;
    ASSERT_THAT(format->write((*examples)[i], {}, written), IsOk());
  }
  EXPECT_EQ(written, file);
}

INSTANTIATE_TEST_SUITE_P(Formats, PlainGoldenTest,
                         ::testing::Values(PlainGolden{"text", "text.txt"},
                                           PlainGolden{"markdown", "markdown.md"}),
                         [](const auto& info) { return info.param.format; });

TEST(ChatMlFileGoldenTest, SplitConversationsWriteAsChatMlJsonl) {
  std::vector<uint64_t> lines;
  Result<std::vector<Example>> examples = SplitFile("chatml", GoldenFile("chatml_file.txt"), &lines);
  ASSERT_THAT(examples, IsOk());
  std::string written;
  for (const Example& example : *examples) {
    Result<std::string> line = WriteExample("chatml", example);
    ASSERT_THAT(line, IsOk());
    written += *line;
  }
  EXPECT_EQ(written, GoldenFile("chatml_file.expected.jsonl"));
  EXPECT_THAT(lines, ::testing::ElementsAre(1, 8));
}

}  // namespace
}  // namespace tunepack::format
