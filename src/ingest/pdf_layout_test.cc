// Layout analysis on hand-placed words: each stage's rule, without the helper.
#include "ingest/pdf_layout.h"

#include <array>

#include <gtest/gtest.h>

namespace tunepack::ingest::internal {
namespace {

// Places `text` word by word from (x, y) at `size` points, 0.5 em per character.
void Place(PdfContent& content, uint32_t page, float x, float y, std::string_view text,
           float size = 10, bool bold = false) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    PdfRun run;
    run.page = page;
    run.x0 = x;
    run.x1 = x + 0.5f * size * static_cast<float>(end - start);
    run.y0 = y;
    run.y1 = y + 1.2f * size;
    run.size = size;
    run.bold = bold;
    run.space_after = end < text.size();
    run.text = std::string(text.substr(start, end - start));
    content.runs.push_back(run);
    x = run.x1 + 0.25f * size;
    start = end + 1;
  }
}

PdfContent Pages(uint32_t count) {
  PdfContent content;
  content.page_count = count;
  for (uint32_t p = 1; p <= count; ++p) content.pages.push_back({p, 400, 600, std::to_string(p)});
  return content;
}

std::vector<std::string> TextsOf(const std::vector<PdfBlock>& blocks) {
  std::vector<std::string> out;
  for (const PdfBlock& block : blocks) out.push_back(block.text);
  return out;
}

std::vector<PdfBlock> Analyse(const PdfContent& content) {
  std::vector<PdfPageLines> pages = BuildLines(content);
  RemoveRunningLines(pages, content.pages);
  for (PdfPageLines& lines : pages) {
    FindTables(lines);
    OrderForReading(lines);
  }
  JoinTablesAcrossPages(pages);
  return BuildBlocks(pages);
}

std::vector<BlockKind> KindsOf(const std::vector<PdfBlock>& blocks) {
  std::vector<BlockKind> out;
  for (const PdfBlock& block : blocks) out.push_back(block.kind);
  return out;
}

TEST(PdfTablesTest, AlignedShortCellsBecomeOneMarkdownTable) {
  PdfContent content = Pages(1);
  Place(content, 1, 20, 20, "Numbers follow in a small grid.");
  const char* rows[][3] = {{"Name", "Count", "Unit"}, {"alpha", "12", "kg"},
                           {"beta gamma", "7", "m"}, {"delta", "1,024", "s"}};
  float y = 40;
  for (const auto& row : rows) {
    Place(content, 1, 20, y, row[0]);
    Place(content, 1, 150, y, row[1]);
    Place(content, 1, 280, y, row[2]);
    y += 16;
  }
  Place(content, 1, 20, y + 4, "A closing line under the grid that runs right across the page.");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(KindsOf(blocks), (std::vector<BlockKind>{BlockKind::kParagraph, BlockKind::kTable,
                                                      BlockKind::kParagraph}));
  EXPECT_EQ(blocks[1].text,
            "| Name | Count | Unit |\n| --- | --- | --- |\n| alpha | 12 | kg |\n"
            "| beta gamma | 7 | m |\n| delta | 1,024 | s |");
}

TEST(PdfTablesTest, NumberedListIsNotATable) {
  PdfContent content = Pages(1);
  const char* items[] = {"Install the packages.", "Build the tool.", "Run the tests."};
  float y = 20;
  for (int i = 0; i < 3; ++i) {
    Place(content, 1, 20, y, std::to_string(i + 1) + ".");
    Place(content, 1, 45, y, items[i]);
    y += 14;
  }
  for (const PdfBlock& block : Analyse(content)) EXPECT_NE(block.kind, BlockKind::kTable) << block.text;
}

TEST(PdfTablesTest, TwoColumnsOfTextAreNotATable) {
  PdfContent content = Pages(1);
  float y = 20;
  for (int i = 0; i < 6; ++i) {
    Place(content, 1, 20, y, "left words in a column of text");
    Place(content, 1, 210, y, "right words in the other column");
    y += 14;
  }
  for (const PdfBlock& block : Analyse(content)) EXPECT_NE(block.kind, BlockKind::kTable) << block.text;
}

TEST(PdfLayoutTest, ExpandsLigatures) {
  EXPECT_EQ(ExpandLigatures("\xEF\xAC\x81ne \xEF\xAC\x84ow \xEF\xAC\x80 \xEF\xAC\x86"),
            "fine fflow ff st");
  EXPECT_EQ(ExpandLigatures("plain"), "plain");
}

TEST(PdfLayoutTest, JoinsHyphenatedWordsOnlyWhenWitnessed) {
  const std::unordered_set<std::string> witnesses = {"capabilities"};
  std::string text = "the capabili-";
  JoinLine(text, "ties of it", witnesses);
  EXPECT_EQ(text, "the capabilities of it");
  text = "state-of-the-";
  JoinLine(text, "art methods", witnesses);
  EXPECT_EQ(text, "state-of-the-art methods");  // "theart" is nobody's word
  text = "ends here-";
  JoinLine(text, "Next", witnesses);
  EXPECT_EQ(text, "ends here- Next");  // capital: not a broken word
}

TEST(PdfLayoutTest, WitnessesExcludeFragmentsAtLineEnds) {
  std::vector<PdfPageLines> pages(1);
  for (const char* text : {"a broken capa-", "bilities and whole words"}) {
    PdfLine line;
    line.text = text;
    pages[0].push_back(std::move(line));
  }
  const auto witnesses = CollectWitnesses(pages);
  EXPECT_TRUE(witnesses.contains("whole"));
  EXPECT_TRUE(witnesses.contains("broken"));
  EXPECT_FALSE(witnesses.contains("capa"));
}

TEST(PdfLayoutTest, ReadsTwoColumnsInColumnOrder) {
  PdfContent content = Pages(1);
  Place(content, 1, 40, 40, "A Title Across Both Columns Of The Page", 16, true);
  for (int i = 0; i < 6; ++i) {
    const float y = 80 + 14.0f * static_cast<float>(i);
    Place(content, 1, 40, y, "left words line " + std::to_string(i) + (i == 5 ? "." : ""));
    Place(content, 1, 220, y, "right words line " + std::to_string(i));
  }
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(blocks[1].text,
            "left words line 0 left words line 1 left words line 2 left words line 3 left "
            "words line 4 left words line 5.");
  EXPECT_EQ(blocks[2].text.substr(0, 17), "right words line ");
}

TEST(PdfLayoutTest, RowsOfAPageWithoutColumnsReadAlongTheRow) {
  PdfContent content = Pages(1);
  for (int i = 0; i < 4; ++i) {
    const float y = 40 + 14.0f * static_cast<float>(i);
    Place(content, 1, 40, y, "1." + std::to_string(i) + " A section title . . . . . . . . . . . . . .");
    Place(content, 1, 350, y, std::to_string(10 + i));
  }
  std::vector<PdfPageLines> pages = BuildLines(content);
  ASSERT_EQ(pages[0].size(), 8u);  // the gap before each page number cuts the row
  OrderForReading(pages[0]);
  ASSERT_EQ(pages[0].size(), 4u);
  EXPECT_EQ(pages[0][1].text, "1.1 A section title . . . . . . . . . . . . . . 11");
}

TEST(PdfLayoutTest, RemovesRunningHeadersFootersAndPageNumbers) {
  PdfContent content = Pages(3);
  for (uint32_t p = 1; p <= 3; ++p) {
    Place(content, p, 40, 20, "The Handbook, chapter " + std::to_string(p + 1));
    const char* const kBodies[] = {"", "Body text opens.", "Body text goes on.", "Body text ends."};
    Place(content, p, 40, 300, kBodies[p]);
    Place(content, p, 190, 570, std::to_string(p));
  }
  std::vector<PdfPageLines> pages = BuildLines(content);
  EXPECT_EQ(RemoveRunningLines(pages, content.pages), 6u);
  for (const PdfPageLines& lines : pages) {
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text.substr(0, 9), "Body text");
  }
}

TEST(PdfLayoutTest, RemovesPerChapterHeadsButKeepsChapterHeadings) {
  PdfContent content = Pages(10);
  for (uint32_t p = 1; p <= 10; ++p) {
    const int chapter = p <= 5 ? 1 : 2;
    if (p == 1 || p == 6) {
      Place(content, p, 40, 20, "Chapter " + std::to_string(chapter), 20, true);
    } else {
      Place(content, p, 40, 20, "Chapter " + std::to_string(chapter) + ": Its name");
    }
    Place(content, p, 40, 300, std::string("Body text number ") + char('a' + p) + ".");
  }
  std::vector<PdfPageLines> pages = BuildLines(content);
  EXPECT_EQ(RemoveRunningLines(pages, content.pages), 8u);
  EXPECT_EQ(pages[0][0].text, "Chapter 1");
  EXPECT_EQ(pages[5][0].text, "Chapter 2");
}

TEST(PdfLayoutTest, AHeadBesideThePageNumberIsRunningOnTwoPages) {
  PdfContent content = Pages(8);
  for (uint32_t p = 1; p <= 8; ++p) {
    const bool chapter_two = p == 4 || p == 5;
    Place(content, p, 40, 20, chapter_two ? "Chapter 2: Short" : "Other head " + std::string(1, char('a' + p)));
    Place(content, p, 350, 20, std::to_string(p));
    Place(content, p, 40, 300, std::string("Body text number ") + char('a' + p) + ".");
  }
  std::vector<PdfPageLines> pages = BuildLines(content);
  RemoveRunningLines(pages, content.pages);
  EXPECT_EQ(pages[3].size(), 1u);  // head and number gone
  EXPECT_EQ(pages[0].size(), 2u);  // a head seen once stays; its number goes
}

TEST(PdfLayoutTest, ATableRowAtThePagesFootKeepsCellsThatLookLikePageNumbers) {
  PdfContent content = Pages(1);
  Place(content, 1, 20, 470, "alpha");
  Place(content, 1, 150, 470, "12");
  Place(content, 1, 280, 470, "kg");
  Place(content, 1, 20, 486, "beta");
  Place(content, 1, 150, 486, "7");
  Place(content, 1, 280, 486, "m");  // a roman numeral, too
  Place(content, 1, 190, 560, "3");   // the page number, set apart from the text
  std::vector<PdfPageLines> pages = BuildLines(content);
  EXPECT_EQ(RemoveRunningLines(pages, content.pages), 1u);
  ASSERT_EQ(pages[0].size(), 6u);
  EXPECT_EQ(pages[0].back().text, "m");
}

TEST(PdfLayoutTest, KeepsEdgeLinesThatDoNotRepeat) {
  PdfContent content = Pages(2);
  Place(content, 1, 40, 20, "An opening line at the top");
  Place(content, 2, 40, 20, "A different line at the top");
  std::vector<PdfPageLines> pages = BuildLines(content);
  EXPECT_EQ(RemoveRunningLines(pages, content.pages), 0u);
}

TEST(PdfLayoutTest, HeadingsByRelativeSizeAndBoldness) {
  PdfContent content = Pages(1);
  Place(content, 1, 40, 40, "Big Title", 20, true);
  Place(content, 1, 40, 80, "Section", 14, true);
  Place(content, 1, 40, 110, "Bold run-in", 10, true);
  Place(content, 1, 40, 130, "Body text one, long enough to be the body of the page.");
  Place(content, 1, 40, 143, "Body text two continues the body of the page here.");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(blocks[0].level, 1);
  EXPECT_EQ(blocks[1].level, 2);
  EXPECT_EQ(blocks[2].kind, BlockKind::kHeading);
  EXPECT_EQ(blocks[2].level, 3);
  EXPECT_EQ(blocks[3].kind, BlockKind::kParagraph);
}

TEST(PdfLayoutTest, ListItemsAndTheirContinuationLines) {
  PdfContent content = Pages(1);
  Place(content, 1, 40, 40, "Some body text introduces the list below here.");
  Place(content, 1, 40, 60, "\xE2\x80\xA2 first item that wraps");
  Place(content, 1, 50, 73, "onto a second line");
  Place(content, 1, 40, 86, "2. second item");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 3u) << ::testing::PrintToString(TextsOf(blocks));
  EXPECT_EQ(blocks[1].kind, BlockKind::kListItem);
  EXPECT_EQ(blocks[1].text, "first item that wraps onto a second line");
  EXPECT_EQ(blocks[2].kind, BlockKind::kListItem);
  EXPECT_TRUE(blocks[2].ordered);
  EXPECT_EQ(blocks[2].text, "second item");
}

TEST(PdfLayoutTest, ParagraphRunsOnAcrossAPageBreak) {
  PdfContent content = Pages(2);
  Place(content, 1, 40, 100, "The sentence starts on one page and");
  Place(content, 2, 40, 100, "ends on the next.");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text, "The sentence starts on one page and ends on the next.");
  EXPECT_EQ(blocks[0].first_page, 1u);
  EXPECT_EQ(blocks[0].last_page, 2u);
}

TEST(PdfLayoutTest, ListItemsNestByTheirMarkersIndent) {
  PdfContent content = Pages(1);
  Place(content, 1, 20, 20, "\xE2\x80\xA2 Fruit");
  Place(content, 1, 40, 36, "\xE2\x97\xA6 Apples");
  Place(content, 1, 40, 52, "\xE2\x97\xA6 Pears");
  Place(content, 1, 60, 68, "1. Conference");
  Place(content, 1, 20, 84, "\xE2\x80\xA2 Vegetables");
  // Right-aligned numbers: "9." stands half an em further in than "10.", one level.
  Place(content, 1, 45, 100, "9. Leeks");
  Place(content, 1, 40, 116, "10. Onions");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 7u);
  std::vector<int> levels;
  std::vector<size_t> indents;
  for (const PdfBlock& block : blocks) {
    EXPECT_EQ(block.kind, BlockKind::kListItem) << block.text;
    levels.push_back(block.level);
    indents.push_back(block.indent);
  }
  EXPECT_EQ(levels, (std::vector<int>{0, 1, 1, 2, 0, 1, 1}));
  // Under "- " two spaces; under "1. " three more.
  EXPECT_EQ(indents, (std::vector<size_t>{0, 2, 2, 4, 0, 2, 2}));
}

TEST(PdfLayoutTest, AParagraphAtTheMarginEndsTheListsLevels) {
  PdfContent content = Pages(1);
  Place(content, 1, 20, 20, "- Outer");
  Place(content, 1, 40, 36, "- Inner");
  Place(content, 1, 20, 60, "A paragraph at the margin.");
  Place(content, 1, 40, 84, "- Indented, but the first of a new list");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[1].level, 1);
  EXPECT_EQ(blocks[2].kind, BlockKind::kParagraph);
  EXPECT_EQ(blocks[3].level, 0);
  EXPECT_EQ(blocks[3].indent, 0u);
}

// Places the rows of a three-column table from `y`, 16 points apart; returns the y after.
float PlaceRows(PdfContent& content, uint32_t page, float y,
                const std::vector<std::array<const char*, 3>>& rows, bool bold = false) {
  for (const auto& row : rows) {
    Place(content, page, 20, y, row[0], 10, bold);
    Place(content, page, 150, y, row[1], 10, bold);
    Place(content, page, 280, y, row[2], 10, bold);
    y += 16;
  }
  return y;
}

TEST(PdfTablesTest, ATableBrokenByAPageBreakIsOneTableWithItsHeaderOnce) {
  PdfContent content = Pages(2);
  Place(content, 1, 20, 440, "The counts of the season follow.");
  PlaceRows(content, 1, 470, {{{"Name", "Count", "Unit"}}, {{"alpha", "12", "kg"}}, {{"beta", "7", "m"}}});
  // The next page repeats the header row.
  const float y = PlaceRows(content, 2, 30,
                            {{{"Name", "Count", "Unit"}}, {{"gamma", "3", "s"}}, {{"delta", "1,024", "s"}}});
  Place(content, 2, 20, y + 10, "A closing line under the grid that runs right across the page.");
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(KindsOf(blocks), (std::vector<BlockKind>{BlockKind::kParagraph, BlockKind::kTable,
                                                      BlockKind::kParagraph}));
  EXPECT_EQ(blocks[1].text,
            "| Name | Count | Unit |\n| --- | --- | --- |\n| alpha | 12 | kg |\n| beta | 7 | m |\n"
            "| gamma | 3 | s |\n| delta | 1,024 | s |");
  EXPECT_EQ(blocks[1].first_page, 1u);
  EXPECT_EQ(blocks[1].last_page, 2u);
}

TEST(PdfTablesTest, AHeaderRowAloneAtAPagesFootHeadsTheTableOnTheNext) {
  PdfContent content = Pages(2);
  Place(content, 1, 20, 440, "The codes are these.");
  PlaceRows(content, 1, 470, {{{"Code", "Species", "Usually present"}}}, /*bold=*/true);
  PlaceRows(content, 2, 30, {{{"GRH", "Grey heron", "All year"}}, {{"RWA", "Reed warbler", "May"}},
                             {{"BIT", "Bittern", "March to June"}}});
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(KindsOf(blocks), (std::vector<BlockKind>{BlockKind::kParagraph, BlockKind::kTable}));
  EXPECT_EQ(blocks[1].text,
            "| Code | Species | Usually present |\n| --- | --- | --- |\n| GRH | Grey heron | All year |\n"
            "| RWA | Reed warbler | May |\n| BIT | Bittern | March to June |");
  EXPECT_EQ(blocks[1].first_page, 1u);
}

TEST(PdfTablesTest, RunningTextAtAPagesFootIsNotTakenForAHeaderRow) {
  PdfContent content = Pages(2);
  // Ordinary word spacing: no channel between the words that fall in different columns.
  Place(content, 1, 20, 470, "The following table lists every bird counted this year in full.");
  PlaceRows(content, 2, 30, {{{"GRH", "Grey heron", "All year"}}, {{"RWA", "Reed warbler", "May"}},
                             {{"BIT", "Bittern", "March to June"}}});
  const std::vector<PdfBlock> blocks = Analyse(content);
  ASSERT_EQ(KindsOf(blocks), (std::vector<BlockKind>{BlockKind::kParagraph, BlockKind::kTable}));
  EXPECT_EQ(blocks[0].text, "The following table lists every bird counted this year in full.");
  EXPECT_EQ(blocks[1].first_page, 2u);
}

}  // namespace
}  // namespace tunepack::ingest::internal
