#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/reader_test_util.h"

namespace tunepack::ingest {
namespace {

using ::testing::ElementsAre;

TEST(TextReaderTest, ParagraphsAreBlocksOfTheNormalisedText) {
  const Document doc = ReadWith("text", "\n\nFirst line  \r\nsame para\r\n\r\n\r\n\r\nSecond\n\n");
  EXPECT_EQ(doc.text, "First line\nsame para\n\nSecond");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("First line\nsame para", "Second"));
  for (const Block& block : doc.blocks) {
    EXPECT_EQ(block.kind, BlockKind::kParagraph);
    EXPECT_TRUE(block.heading_path.empty());
  }
  EXPECT_EQ(doc.title, "");
}

TEST(TextReaderTest, NormalisationCanBeSwitchedOff) {
  const Document doc = ReadWith("text", "a  \r\n\r\n\r\nb", normalize::NormalizeOptions::None());
  EXPECT_EQ(doc.text, "a  \r\n\r\n\r\nb");
  EXPECT_THAT(BlockTexts(doc), ElementsAre("a  ", "b"));
}

TEST(TextReaderTest, WhitespaceOnlyTextHasNoBlocks) {
  const Document doc = ReadWith("text", " \n\t\n");
  EXPECT_EQ(doc.text, "");
  EXPECT_TRUE(doc.blocks.empty());
}

}  // namespace
}  // namespace tunepack::ingest
