// PDF layout analysis: from the helper's positioned words (pdf_protocol.h) to a document's
// blocks in reading order. The stages, one file each:
//   pdf_lines.cc          words -> lines, page by page; ligatures expanded
//   pdf_running_lines.cc  running headers, footers and page numbers removed
//   pdf_tables.cc         aligned rows of short cells -> one Markdown table line
//   pdf_reading_order.cc  columns found; lines put in reading order
//   pdf_blocks.cc         lines -> headings, paragraphs, list items, code; hyphenation
//                         repaired where the whole word is witnessed (pdf_hyphenation.cc)
// Internal to the ingest module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ingest/pdf_protocol.h"
#include "tunepack/core/document.h"

namespace tunepack::ingest::internal {

// PdfWord: one word of a line, where it stands (table detection needs the positions).
struct PdfWord {
  float x0 = 0, x1 = 0;
  bool space_before = false;  ///< the line's text has a space before this word
  bool mono = false;
  std::string text;
};

// PdfExtent: a horizontal stretch of a page, e.g. a table column.
struct PdfExtent {
  float x0 = 0, x1 = 0;
};

// PdfLine: words on one baseline of one column, left to right.
struct PdfLine {
  uint32_t page = 0;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float size = 0;            ///< the font size most of its characters have
  bool bold = false;         ///< most characters are bold
  bool mono = false;         ///< every character is monospaced
  float first_word_width = 0;  ///< width of its first word, to judge line breaks
  std::string text;          ///< words joined by single spaces
  std::vector<PdfWord> words;  ///< the words of `text`, left to right
  bool table = false;        ///< `text` is a Markdown table made of several lines (FindTables)
  std::vector<std::vector<std::string>> cells;  ///< a table's rows of cells, header first
  std::vector<PdfExtent> columns;               ///< a table's columns, left to right
  uint32_t first_page = 0;   ///< a table joined across pages starts here (0: on `page`)
  // Set by OrderForReading: the column the line belongs to, or the page's text width for a
  // line that spans the columns.
  int column = 0;            ///< 0-based, left to right; -1: spans the columns
  float column_x0 = 0, column_x1 = 0;
};

// PdfPageLines: one page's lines.
using PdfPageLines = std::vector<PdfLine>;

// Returns `text` with the Latin ligatures U+FB00-FB06 spelled out ("ﬁ" -> "fi").
std::string ExpandLigatures(std::string_view text);

// Groups the runs of `content` into lines: one PdfPageLines per page, in page order.
std::vector<PdfPageLines> BuildLines(const PdfContent& content);

// True when two lines stand on one row: they overlap vertically by half the smaller height.
bool SameRow(const PdfLine& a, const PdfLine& b);

// Removes running headers and footers (a line at the top or bottom edge of a page whose
// text, digits aside, recurs at the edges of at least half the pages, and on at least two)
// and page numbers at the edges. Returns the number of lines removed.
size_t RemoveRunningLines(std::vector<PdfPageLines>& pages, const std::vector<PdfPageInfo>& info);

// Finds tables on one page: three or more rows (lines sharing a baseline) whose words
// leave the same vertical channels free, so the words fall into two or more columns, with
// short cells (at most one column averages more than four words a cell: two columns of
// running text are not a table) and not a numbered list or code. Each table's lines are
// replaced by one line holding a Markdown table (`table` set), the first row its header;
// a row with nothing in the first column continues the row above (a wrapped cell).
// Returns the number of tables found.
size_t FindTables(PdfPageLines& lines);

// Joins a table broken by a page break: when a page's last line (in reading order) is a
// table and the next page's first line is one with the same columns, its rows continue the
// first (a repeated header row dropped); when a page ends with one row whose words fall into
// the columns of a table that opens the next page, that row is the table's header (a
// header left alone at the foot of a page). Run after OrderForReading. Returns the number
// of joins.
size_t JoinTablesAcrossPages(std::vector<PdfPageLines>& pages);

// Orders one page's lines for reading: when the page has columns, each column top to
// bottom, left column first, with lines that span the columns (a title over two columns)
// kept between the column stretches above and below them. Sets each line's column.
void OrderForReading(PdfPageLines& lines);

// Returns the lower-cased words of every line (letters only): the witnesses that decide
// whether a word broken by a hyphen at a line end is one word.
std::unordered_set<std::string> CollectWitnesses(const std::vector<PdfPageLines>& pages);

// Joins `next` to `text` (the lines of one paragraph): a line ending in a hyphen after a
// letter, followed by a lower-case letter, loses the hyphen when the joined word is in
// `witnesses` and keeps it (no space: "state-of-the-art") otherwise; other lines are
// joined by a space.
void JoinLine(std::string& text, std::string_view next,
              const std::unordered_set<std::string>& witnesses);

// PdfBlock: one structural block, in reading order.
struct PdfBlock {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;  ///< heading level 1-6; a list item's nesting depth (0: top level)
  size_t indent = 0;     ///< a nested list item: spaces before its marker in Markdown
  bool ordered = false;  ///< a numbered list item
  std::string marker;    ///< a numbered item's own marker, e.g. "2." or "b)"
  std::string text;      ///< plain text; code keeps its line breaks
  uint32_t first_page = 0, last_page = 0;
};

// Builds the blocks of ordered pages: headings from font size and weight relative to the
// body text's size, list items from their markers (nested by their markers' indentation in
// the column), code from monospaced lines, paragraphs from line spacing and line lengths.
std::vector<PdfBlock> BuildBlocks(const std::vector<PdfPageLines>& pages);

}  // namespace tunepack::ingest::internal
