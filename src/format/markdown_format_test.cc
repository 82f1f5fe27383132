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

Example Doc(std::string text, std::vector<std::pair<std::string, std::string>> metadata) {
  Example example = Text(std::move(text));
  for (auto& [key, json] : metadata) example.metadata.SetJson(key, json);
  return example;
}

TEST(MarkdownFormatTest, WritesAMetadataHeaderThenTheText) {
  Result<std::string> out = WriteExample(
      "markdown", Doc("# Title\n\nBody.\n", {{"source", R"("a.md")"}, {"heading path", R"(["A","B"])"}}));
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, "---\nsource: \"a.md\"\n\"heading path\": [\"A\",\"B\"]\n---\n\n# Title\n\nBody.\n");
}

TEST(MarkdownFormatTest, SplitOfWriteGivesRecordsBackWithMetadata) {
  const std::vector<Example> docs = {
      Doc("# A\n\ntext\n", {{"source", R"("a.md")"}, {"page", "2"}}),
      Doc("---\nstarts like front matter\n---\n", {}),
      Doc("", {{"key: with colon", R"({"x":"y: z\n"})"}, {"\"quoted\"", "null"}}),
      Doc("\n\nleading blank lines", {{"n", "-2.5"}}),
  };
  const Format* format = *FindFormat("markdown");
  std::string file;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) file += format->separator;
    ASSERT_THAT(format->write(docs[i], {}, file), IsOk());
  }
  Result<std::vector<Example>> back = SplitFile("markdown", file);
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ((*back)[i].text, docs[i].text);
    ASSERT_EQ((*back)[i].metadata.entries().size(), docs[i].metadata.entries().size());
    for (size_t k = 0; k < docs[i].metadata.entries().size(); ++k) {
      EXPECT_EQ((*back)[i].metadata.entries()[k].key, docs[i].metadata.entries()[k].key);
      EXPECT_EQ((*back)[i].metadata.entries()[k].json, docs[i].metadata.entries()[k].json);
    }
  }
}

TEST(MarkdownFormatTest, AFileWithoutHeadersIsOneTextRecord) {
  Result<std::vector<Example>> back = SplitFile("markdown", "# Notes\n\nNo header here.\n");
  ASSERT_THAT(back, IsOk());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].text, "# Notes\n\nNo header here.\n");
}

TEST(MarkdownFormatTest, BadHeadersAreInvalidWithTheirLine) {
  const std::string separator = (*FindFormat("markdown"))->separator;
  EXPECT_THAT(SplitFile("markdown", "---\n---\n\nok" + separator + "---\nsource \"x\"\n---\n\nt"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("line 8: metadata header: expected 'key: value'")));
  EXPECT_THAT(SplitFile("markdown", "---\nsource: not json\n---\n\nt"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("metadata header 'source': is not valid JSON")));
  EXPECT_THAT(SplitFile("markdown", "---\nsource: 1\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no closing '---'")));
}

TEST(MarkdownFormatTest, ReportsStartLines) {
  const std::string separator = (*FindFormat("markdown"))->separator;
  std::vector<uint64_t> lines;
  ASSERT_THAT(SplitFile("markdown", "---\n---\n\na" + separator + "---\n---\n\nb", &lines), IsOk());
  EXPECT_THAT(lines, ElementsAre(1, 8));
}

TEST(MarkdownFormatTest, RefusesTextHoldingTheSeparatorAndConversations) {
  EXPECT_THAT(WriteExample("markdown", Text("x\n<!-- tunepack record -->\ny")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("text: contains <!-- tunepack record -->")));
  EXPECT_THAT(WriteExample("markdown", Conversation({Msg(Role::kUser, "q")})),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("markdown holds plain text, and a conversation written there")));
}

}  // namespace
}  // namespace tunepack::format
