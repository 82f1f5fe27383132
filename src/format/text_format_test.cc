#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

// Writes `texts` as one file the way the pipeline does: records with the separator between.
std::string WriteFile(std::string_view format_name, const std::vector<std::string>& texts) {
  const Format* format = *FindFormat(format_name);
  std::string file;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) file += format->separator;
    EXPECT_THAT(format->write(Text(texts[i]), {}, file), IsOk());
  }
  return file;
}

std::vector<std::string> Texts(const std::vector<Example>& examples) {
  std::vector<std::string> texts;
  for (const Example& example : examples) texts.push_back(example.text);
  return texts;
}

TEST(TextFormatTest, SplitOfWriteGivesTheTextsBack) {
  const std::vector<std::string> cases[] = {
      {"one"},
      {"a", "b", "c"},
      {"trailing\n", "\nleading", "", "middle\n\n\nblank lines"},
      {"# Heading\n\n- list\n\n```\ncode\n```\n", "endoftext without brackets: endoftext"},
  };
  for (const std::vector<std::string>& texts : cases) {
    Result<std::vector<Example>> examples = SplitFile("text", WriteFile("text", texts));
    ASSERT_THAT(examples, IsOk());
    EXPECT_EQ(Texts(*examples), texts);
  }
}

TEST(TextFormatTest, RecordsAreSeparatedByAnEndOfTextLine) {
  EXPECT_EQ(WriteFile("text", {"a", "b"}), "a\n<|endoftext|>\nb");
}

TEST(TextFormatTest, SplitReportsStartLines) {
  std::vector<uint64_t> lines;
  ASSERT_THAT(SplitFile("text", "a\nb\n<|endoftext|>\nc\n<|endoftext|>\nd", &lines), IsOk());
  EXPECT_THAT(lines, ElementsAre(1, 4, 6));
}

TEST(TextFormatTest, AnEmptyFileHasNoRecords) {
  Result<std::vector<Example>> examples = SplitFile("text", "");
  ASSERT_THAT(examples, IsOk());
  EXPECT_TRUE(examples->empty());
}

TEST(TextFormatTest, RefusesTextHoldingTheSeparatorAndConversations) {
  EXPECT_THAT(WriteExample("text", Text("a <|endoftext|> b")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("text: contains <|endoftext|>")));
  EXPECT_THAT(WriteExample("text", Conversation({Msg(Role::kUser, "q")})),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("use chatml")));
}

}  // namespace
}  // namespace tunepack::format
