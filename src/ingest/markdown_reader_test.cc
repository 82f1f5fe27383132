#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/reader_test_util.h"

namespace tunepack::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kGuide[] =
    "# Guide\n"
    "\n"
    "Intro paragraph\n"
    "over two lines.\n"
    "\n"
    "## Install\n"
    "\n"
    "- first step\n"
    "- second step\n"
    "  - nested detail\n"
    "\n"
    "```bash\n"
    "make install\n"
    "```\n"
    "\n"
    "### Options\n"
    "\n"
    "| flag | meaning |\n"
    "| --- | --- |\n"
    "| -v | verbose |\n"
    "\n"
    "## Usage\n"
    "\n"
    "> quoted\n"
    "> text\n";

TEST(MarkdownReaderTest, TextIsTheSourceAndBlocksCoverWholeLines) {
  const Document doc = ReadWith("markdown", kGuide);
  EXPECT_EQ(doc.text, std::string(kGuide).substr(0, std::string(kGuide).size() - 1));
  EXPECT_THAT(BlockTexts(doc),
              ElementsAre("# Guide", "Intro paragraph\nover two lines.", "## Install",
                          "- first step", "- second step", "  - nested detail",
                          "```bash\nmake install\n```", "### Options",
                          "| flag | meaning |\n| --- | --- |\n| -v | verbose |", "## Usage",
                          "> quoted\n> text"));
  ExpectOrderedBlocks(doc);
  EXPECT_EQ(doc.title, "Guide");
}

TEST(MarkdownReaderTest, KindsLevelsAndHeadingPaths) {
  const Document doc = ReadWith("markdown", kGuide);
  ASSERT_EQ(doc.blocks.size(), 11u);
  const auto& b = doc.blocks;
  EXPECT_EQ(b[0].kind, BlockKind::kHeading);
  EXPECT_EQ(b[0].level, 1);
  EXPECT_THAT(b[0].heading_path, IsEmpty());
  EXPECT_EQ(b[1].kind, BlockKind::kParagraph);
  EXPECT_THAT(b[1].heading_path, ElementsAre("Guide"));
  EXPECT_EQ(b[2].level, 2);
  EXPECT_THAT(b[2].heading_path, ElementsAre("Guide"));
  EXPECT_EQ(b[3].kind, BlockKind::kListItem);
  EXPECT_EQ(b[3].level, 0);
  EXPECT_THAT(b[3].heading_path, ElementsAre("Guide", "Install"));
  EXPECT_EQ(b[5].kind, BlockKind::kListItem);
  EXPECT_EQ(b[5].level, 1);
  EXPECT_EQ(b[6].kind, BlockKind::kCode);
  EXPECT_EQ(b[6].info, "bash");
  EXPECT_EQ(b[7].level, 3);
  EXPECT_THAT(b[7].heading_path, ElementsAre("Guide", "Install"));
  EXPECT_EQ(b[8].kind, BlockKind::kTable);
  EXPECT_THAT(b[8].heading_path, ElementsAre("Guide", "Install", "Options"));
  // A level-2 heading closes the level-3 section.
  EXPECT_THAT(b[9].heading_path, ElementsAre("Guide"));
  EXPECT_EQ(b[10].kind, BlockKind::kQuote);
  EXPECT_THAT(b[10].heading_path, ElementsAre("Guide", "Usage"));
}

TEST(MarkdownReaderTest, FrontMatterTitleWinsAndFrontMatterIsDropped) {
  const Document doc =
      ReadWith("markdown", "---\ntitle: \"The Real Title\"\ntags: [a]\n---\n\n# Heading\n\nBody\n");
  EXPECT_EQ(doc.title, "The Real Title");
  EXPECT_EQ(doc.text, "# Heading\n\nBody");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("# Heading", "Body"));
}

TEST(MarkdownReaderTest, SetextHeadingsAndInlineMarkupInHeadings) {
  const Document doc = ReadWith("markdown", "Big *Title*\n===\n\nSub `code`\n---\n\ntext\n");
  EXPECT_EQ(doc.title, "Big Title");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("Big *Title*\n===", "Sub `code`\n---", "text"));
  ASSERT_EQ(doc.blocks.size(), 3u);
  EXPECT_THAT(doc.blocks[2].heading_path, ElementsAre("Big Title", "Sub code"));
}

TEST(MarkdownReaderTest, NoH1MeansNoTitle) {
  const Document doc = ReadWith("markdown", "## Only a subsection\n\ntext\n");
  EXPECT_EQ(doc.title, "");
}

TEST(MarkdownReaderTest, IndentedCodeAndLooseListItems) {
  const Document doc = ReadWith("markdown", "Para\n\n    indented code\n\n1. one\n\n   more of one\n2. two\n");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("Para", "    indented code",
                                           "1. one\n\n   more of one", "2. two"));
  EXPECT_EQ(doc.blocks[1].kind, BlockKind::kCode);
  EXPECT_EQ(doc.blocks[1].info, "");
}

TEST(MarkdownReaderTest, NormalisesBeforeParsing) {
  const Document doc = ReadWith("markdown", "# Cafe\xCC\x81  \r\n\r\n\r\n\r\ntext\r\n");
  EXPECT_EQ(doc.text, "# Caf\xC3\xA9\n\ntext");
  EXPECT_EQ(doc.title, "Caf\xC3\xA9");
}

TEST(MarkdownReaderTest, UnclosedFenceRunsToTheEnd) {
  const Document doc = ReadWith("markdown", "text\n\n```\ncode\nmore");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("text", "```\ncode\nmore"));
}

// Issue 8: code is never changed beyond CRLF/CR to LF, while the prose around it is still
// normalised (NFC, trailing spaces, blank lines, control characters).
TEST(MarkdownReaderTest, CodeKeepsItsTextExceptLineEndings) {
  const std::string nfd = "e\xCC\x81";  // e + combining acute
  const std::string nfc = "\xC3\xA9";
  const std::string input =
      "Caf" + nfd + "  \r\n\r\n\r\n\r\n"
      "```python\r\n"
      "\r\n"
      "def f():  \r\n"
      "    return '" + nfd + "'\t\r\n"
      "\r\n"
      "\r\n"
      "def g():\x0C\r\n"
      "    pass\r\n"
      "\r\n"
      "```\r\n"
      "\r\n"
      "Use `x" + nfd + "  y` here.  \r\n"
      "\r\n"
      "    indented  \r\n"
      "\r\n"
      "\r\n"
      "    code " + nfd + "\r\n"
      "\r\n"
      "\r\n"
      "\r\n"
      "end " + nfd + "\r\n";
  const Document doc = ReadWith("markdown", input);
  EXPECT_EQ(doc.text,
            "Caf" + nfc + "\n"
            "\n"
            "```python\n"
            "\n"
            "def f():  \n"
            "    return '" + nfd + "'\t\n"
            "\n"
            "\n"
            "def g():\x0C\n"
            "    pass\n"
            "\n"
            "```\n"
            "\n"
            "Use `x" + nfd + "  y` here.\n"
            "\n"
            "    indented  \n"
            "\n"
            "\n"
            "    code " + nfd + "\n"
            "\n"
            "end " + nfc);
  ASSERT_GE(doc.blocks.size(), 5u);
  EXPECT_EQ(doc.blocks[1].kind, BlockKind::kCode);
  EXPECT_EQ(doc.blocks[1].info, "python");
  EXPECT_EQ(doc.blocks[3].kind, BlockKind::kCode);
}

TEST(MarkdownReaderTest, CodeBlockKeepsItsFencesAcrossBlankCodeLines) {
  // A code block whose first or last lines are blank lost its fences to no block at all,
  // so the chunker could not tell it was fenced.
  const Document doc = ReadWith("markdown", "Intro:\n\n```text\n\n   Apache\n\n```\n\n```\ncode\n\n\n```\n");
  EXPECT_THAT(BlockTexts(doc),
              ElementsAre("Intro:", "```text\n\n   Apache\n\n```", "```\ncode\n\n\n```"));
}

TEST(MarkdownReaderTest, TildeFencesAndCodeInListsAreCodeToo) {
  const Document doc = ReadWith("markdown",
                                "- item\n\n  ~~~\n  a  \n\n\n\n  b\n  ~~~\n\n\n\nafter  \n");
  EXPECT_EQ(doc.text, "- item\n\n  ~~~\n  a  \n\n\n\n  b\n  ~~~\n\nafter");
}

}  // namespace
}  // namespace tunepack::ingest
