#include "tunepack/dedup/repeated_lines.h"

#include <gtest/gtest.h>

namespace tunepack::dedup {
namespace {

TEST(RepeatedLinesTest, RemovesLaterCopiesOfLongLines) {
  std::string out;
  std::string text =
      "Page header of the annual report\nFirst real line of content.\n}\n"
      "Page header of the annual report\nSecond line.\n}\n  Page header of the annual report  \nEnd";
  RepeatedLinesReport r = RemoveRepeatedLines(text, {}, &out);
  EXPECT_EQ(out, "Page header of the annual report\nFirst real line of content.\n}\nSecond line.\n}\nEnd");
  EXPECT_EQ(r.removed, 2u);
  EXPECT_EQ(r.removed_bytes, text.size() - out.size());
}

TEST(RepeatedLinesTest, ParagraphMode) {
  std::string out;
  std::string footer = "Copyright 2026 Example Corporation. All rights reserved.";
  std::string text = "Intro paragraph here.\n\n" + footer + "\n\nBody paragraph.\n\n" + footer + "\n\nLast.";
  RepeatedLinesReport r = RemoveRepeatedLines(text, {.paragraphs = true}, &out);
  EXPECT_EQ(out, "Intro paragraph here.\n\n" + footer + "\n\nBody paragraph.\n\nLast.");
  EXPECT_EQ(r.removed, 1u);
}

TEST(RepeatedLinesTest, NothingRepeatedIsIdentity) {
  std::string out;
  std::string text = "a line that is long enough\nanother line, long enough too\n";
  EXPECT_EQ(RemoveRepeatedLines(text, {}, &out).removed, 0u);
  EXPECT_EQ(out, text);
}

TEST(RepeatedLinesTest, DocumentBlocksFollowTheText) {
  Document doc;
  std::string header = "Header repeated on every page";
  doc.text = header + "\nalpha\n" + header + "\nbeta\n";
  for (auto [begin, end] : {std::pair<size_t, size_t>{0, 29}, {30, 35}, {36, 65}, {66, 70}}) {
    Block block;
    block.begin = begin;
    block.end = end;
    doc.blocks.push_back(block);
  }
  RepeatedLinesReport r = RemoveRepeatedLines(&doc, {});
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(doc.text, header + "\nalpha\nbeta\n");
  ASSERT_EQ(doc.blocks.size(), 3u);
  EXPECT_EQ(doc.text.substr(doc.blocks[1].begin, doc.blocks[1].end - doc.blocks[1].begin), "alpha");
  EXPECT_EQ(doc.text.substr(doc.blocks[2].begin, doc.blocks[2].end - doc.blocks[2].begin), "beta");
}

}  // namespace
}  // namespace tunepack::dedup
