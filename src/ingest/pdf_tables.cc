// Tables from aligned words. The helper's protocol carries words and their boxes, not the
// ruling lines, so a table is recognised the way a reader sees one without its borders:
// rows whose words, taken together, leave the same vertical channels of white space free.
// Word spaces (about a third of an em) do not line up from one row to the next, so the
// union of the words' extents over several rows closes them; a channel that stays open
// over every row of the region is a column boundary. Growing a region stops at the first
// row that would close a channel (a paragraph line across the table) or that stands too
// far below the row above.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "ingest/package_text.h"
#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

// A channel narrower than this many font sizes is a word space, not a column boundary
// (word spaces are ~0.3 em; cell padding on each side of a rule makes 0.5 em or more).
constexpr float kChannelEms = 0.4f;
// Rows further apart than this many font sizes are not one table.
constexpr float kMaxRowGapEms = 1.5f;
constexpr size_t kMinRows = 3;
constexpr double kMaxWordsPerCell = 4.0;
constexpr float kWideColumnShare = 0.3f;
constexpr size_t kMaxColumns = 16;

struct Row {
  std::vector<size_t> lines;          // indices into the page's lines
  std::vector<const PdfWord*> words;  // left to right
  float x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  float size = 0;
  bool mono = true;
};

using Extent = PdfExtent;

// Groups the page's lines into rows: lines that overlap vertically by half the smaller
// height are cut pieces of one row.
std::vector<Row> RowsOf(const PdfPageLines& lines) {
  std::vector<size_t> order(lines.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return lines[a].y0 != lines[b].y0 ? lines[a].y0 < lines[b].y0 : lines[a].x0 < lines[b].x0;
  });
  std::vector<Row> rows;
  for (size_t index : order) {
    const PdfLine& line = lines[index];
    if (!rows.empty()) {
      Row& row = rows.back();
      const float overlap = std::min(row.y1, line.y1) - std::max(row.y0, line.y0);
      const float smaller = std::min(row.y1 - row.y0, line.y1 - line.y0);
      if (smaller > 0 && overlap >= 0.5f * smaller) {
        row.lines.push_back(index);
        row.x0 = std::min(row.x0, line.x0);
        row.x1 = std::max(row.x1, line.x1);
        row.y0 = std::min(row.y0, line.y0);
        row.y1 = std::max(row.y1, line.y1);
        row.size = std::max(row.size, line.size);
        continue;
      }
    }
    rows.push_back({{index}, {}, line.x0, line.x1, line.y0, line.y1, line.size, true});
  }
  for (Row& row : rows) {
    for (size_t index : row.lines) {
      for (const PdfWord& word : lines[index].words) {
        row.words.push_back(&word);
        row.mono = row.mono && word.mono;
      }
    }
    std::sort(row.words.begin(), row.words.end(),
              [](const PdfWord* a, const PdfWord* b) { return a->x0 < b->x0; });
  }
  return rows;
}

// Adds `row`'s words to `columns` (sorted, disjoint extents) and merges what is now closer
// than a channel: the columns of the region grown by one row, in O(columns + words).
std::vector<Extent> AddRow(const std::vector<Extent>& columns, const Row& row, float min_channel) {
  std::vector<Extent> spans;
  spans.reserve(columns.size() + row.words.size());
  size_t c = 0;
  for (const PdfWord* word : row.words) {  // words are sorted by x0, like the columns
    while (c < columns.size() && columns[c].x0 <= word->x0) spans.push_back(columns[c++]);
    spans.push_back({word->x0, word->x1});
  }
  while (c < columns.size()) spans.push_back(columns[c++]);
  std::vector<Extent> merged;
  for (const Extent& span : spans) {
    if (!merged.empty() && span.x0 < merged.back().x1 + min_channel) {
      merged.back().x1 = std::max(merged.back().x1, span.x1);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

// The column a word starting at `x0` falls in: the last whose left edge it reaches.
size_t ColumnOf(const std::vector<Extent>& columns, float x0) {
  size_t c = 0;
  while (c + 1 < columns.size() && x0 >= columns[c + 1].x0 - 0.5f) ++c;
  return c;
}

// True when `text` is a list marker alone: "1.", "b)", a bullet.
bool IsMarker(const std::string& text) {
  if (text == "-" || text == "*" || text == "\xE2\x80\xA2" || text == "\xE2\x80\x93" ||
      text == "\xC2\xB7" || text == "\xE2\x97\xA6") {
    return true;
  }
  if (text.size() < 2 || (text.back() != '.' && text.back() != ')')) return false;
  const std::string_view body(text.data(), text.size() - 1);
  return std::all_of(body.begin(), body.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
         (body.size() == 1 && std::isalpha(static_cast<unsigned char>(body[0])));
}

// True when `text` is a dot leader (". . . .", "....", "…") or rule characters, or ends
// a title with one ("Naming . . . . ."): the rows of a table of contents.
bool IsLeader(const std::string& text) {
  if (text.empty()) return false;
  if (text.find(". . .") != std::string::npos || text.find("....") != std::string::npos) return true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' || c == ' ' || c == '_' || c == '-') continue;
    if (text.compare(i, 3, "\xE2\x80\xA6") == 0 || text.compare(i, 2, "\xC2\xB7") == 0) {
      i += text[i + 1] == '\x80' ? 2 : 1;
      continue;
    }
    return false;
  }
  return true;
}

// Cells of rows [first, last] in `columns`, wrapped lines joined to the row above; empty
// when the region is not a table after all.
std::vector<std::vector<std::string>> CellsOf(const std::vector<Row>& rows, size_t first,
                                              size_t last, const std::vector<Extent>& columns) {
  // Each line's words, cut into the columns.
  struct LineCells {
    std::vector<std::string> cells;
    std::vector<size_t> words;
    size_t row;  // index into `rows`
  };
  std::vector<LineCells> lines;
  for (size_t r = first; r <= last; ++r) {
    LineCells line{std::vector<std::string>(columns.size()), std::vector<size_t>(columns.size(), 0), r};
    for (const PdfWord* word : rows[r].words) {
      const size_t c = ColumnOf(columns, word->x0);
      std::string& cell = line.cells[c];
      if (!cell.empty() && word->space_before) cell.push_back(' ');
      cell += word->text;
      ++line.words[c];
    }
    lines.push_back(std::move(line));
  }
  // A line with nothing in the first column is part of a taller row: a wrapped cell. It
  // belongs to the row above or below; the widest gap in the run of such lines between
  // two anchored rows is where one table row ends (cell padding, or a vertically centred
  // cell's first line sitting above its row's anchor).
  const auto gap = [&](size_t upper, size_t lower) {
    return rows[lines[lower].row].y0 - rows[lines[upper].row].y1;
  };
  std::vector<size_t> owner(lines.size());  // index of the anchored line each line joins
  for (size_t i = 0; i < lines.size();) {
    if (!lines[i].cells[0].empty()) {
      owner[i] = i;
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && lines[end].cells[0].empty()) ++end;
    const bool has_above = i > 0, has_below = end < lines.size();
    // Split the run [i, end) at the widest gap: lines before it join the row above.
    size_t split = has_above ? end : i;
    if (has_above && has_below) {
      float widest = gap(i - 1, i);
      split = i;
      for (size_t k = i + 1; k <= end; ++k) {
        const float g = gap(k - 1, k);
        if (g > widest + 0.5f) {
          widest = g;
          split = k;
        }
      }
    }
    for (size_t k = i; k < end; ++k) owner[k] = k < split ? i - 1 : end;
    i = end;
  }
  std::vector<std::vector<std::string>> table;
  std::vector<size_t> words_in_column(columns.size(), 0), cells_in_column(columns.size(), 0);
  std::vector<size_t> row_of_anchor(lines.size(), 0);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (owner[i] != i) continue;
    row_of_anchor[i] = table.size();
    table.emplace_back(columns.size());
  }
  if (table.empty()) return {};
  for (size_t i = 0; i < lines.size(); ++i) {  // top to bottom, so text keeps its order
    std::vector<std::string>& row = table[row_of_anchor[owner[i]]];
    for (size_t c = 0; c < columns.size(); ++c) {
      if (lines[i].cells[c].empty()) continue;
      if (!row[c].empty()) row[c].push_back(' ');
      row[c] += lines[i].cells[c];
      words_in_column[c] += lines[i].words[c];
    }
  }
  for (const auto& row : table) {
    for (size_t c = 0; c < columns.size(); ++c) cells_in_column[c] += !row[c].empty();
  }
  if (table.size() < kMinRows) return {};
  size_t full_rows = 0, markers = 0, leaders = 0;
  for (const auto& cells : table) {
    full_rows += std::count_if(cells.begin(), cells.end(), [](const std::string& c) { return !c.empty(); }) >= 2;
    markers += IsMarker(cells[0]);
    leaders += std::any_of(cells.begin(), cells.end(), IsLeader);
  }
  if (full_rows * 3 < table.size() * 2 || full_rows < kMinRows - 1) return {};
  if (markers * 2 >= table.size()) return {};  // a numbered or bulleted list
  if (leaders * 2 >= table.size()) return {};  // a table of contents: titles, dots, pages
  size_t wordy_columns = 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (cells_in_column[c] > 0 &&
        static_cast<double>(words_in_column[c]) / static_cast<double>(cells_in_column[c]) > kMaxWordsPerCell) {
      ++wordy_columns;
    }
  }
  if (wordy_columns > 1) return {};  // columns of running text
  if (columns.size() > kMaxColumns) return {};
  // Columns of text side by side are each a large share of the width; a table has a
  // narrow column (a key, a code, a number) beside its wide ones, or at most one wide one
  // (its notes or descriptions). A small three-column table ("GRH | Grey heron | All
  // year") has two wide columns and a narrow one.
  const float width = columns.back().x1 - columns.front().x0;
  const auto wide = static_cast<size_t>(std::count_if(columns.begin(), columns.end(), [&](const Extent& c) {
    return c.x1 - c.x0 >= kWideColumnShare * width;
  }));
  if (wide > 1 && wide == columns.size()) return {};
  return table;
}

void SetTableText(PdfLine& table) {
  table.text = MarkdownTable(table.cells);
  while (!table.text.empty() && table.text.back() == '\n') table.text.pop_back();
}

bool Overlaps(const Extent& a, const Extent& b) { return a.x0 < b.x1 && b.x0 < a.x1; }

// True when two tables have the same columns: as many, each overlapping its counterpart.
bool SameColumns(const PdfLine& a, const PdfLine& b) {
  if (a.columns.size() != b.columns.size()) return false;
  for (size_t c = 0; c < a.columns.size(); ++c) {
    if (!Overlaps(a.columns[c], b.columns[c])) return false;
  }
  return true;
}

// The cells of `row` (the lines of one baseline) cut into `table`'s columns, or empty when
// the row is not one of its rows: every column gets a short cell, and between neighbouring
// cells stays a channel as wide as the table's own.
std::vector<std::string> HeaderCells(const std::vector<const PdfLine*>& row, const PdfLine& table) {
  const std::vector<Extent>& columns = table.columns;
  const float size = std::max(1.0f, table.size);
  std::vector<std::string> cells(columns.size());
  std::vector<size_t> words(columns.size(), 0);
  std::vector<Extent> spans(columns.size(), Extent{0, 0});
  for (const PdfLine* line : row) {
    const float ratio = line->size / size;
    if (line->table || line->mono || ratio < 0.8f || ratio > 1.25f) return {};
    for (const PdfWord& word : line->words) {
      if (word.x0 < columns.front().x0 - size || word.x1 > columns.back().x1 + 4 * size) return {};
      const size_t c = ColumnOf(columns, word.x0);
      if (words[c]++ == 0) {
        spans[c] = {word.x0, word.x1};
      } else {
        cells[c].push_back(' ');
      }
      spans[c].x1 = std::max(spans[c].x1, word.x1);
      cells[c] += word.text;
    }
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    if (words[c] == 0 || words[c] > kMaxWordsPerCell) return {};
    if (c > 0 && spans[c].x0 - spans[c - 1].x1 < kChannelEms * size) return {};
  }
  return cells;
}

bool Joinable(const Row& above, const Row& below) {
  const float size = std::max(1.0f, std::max(above.size, below.size));
  if (below.y0 - above.y1 > kMaxRowGapEms * size) return false;
  const float ratio = below.size / std::max(1.0f, above.size);
  return ratio > 0.8f && ratio < 1.25f;
}

}  // namespace

size_t FindTables(PdfPageLines& lines) {
  const std::vector<Row> rows = RowsOf(lines);
  std::vector<bool> consumed(lines.size(), false);
  PdfPageLines tables;
  size_t first = 0;
  while (first < rows.size()) {
    const Row& seed = rows[first];
    const float min_channel = kChannelEms * std::max(1.0f, seed.size);
    std::vector<Extent> columns = AddRow({}, seed, min_channel);
    size_t last = first;
    if (columns.size() >= 2) {
      while (last + 1 < rows.size() && Joinable(rows[last], rows[last + 1])) {
        std::vector<Extent> grown = AddRow(columns, rows[last + 1], min_channel);
        if (grown.size() != columns.size()) break;
        columns = std::move(grown);
        ++last;
      }
    }
    std::vector<std::vector<std::string>> cells;
    // Code is laid out in columns too; a table may have a monospaced column or row.
    const auto mono_rows = std::count_if(rows.begin() + static_cast<std::ptrdiff_t>(first),
                                         rows.begin() + static_cast<std::ptrdiff_t>(last) + 1,
                                         [](const Row& row) { return row.mono; });
    if (last + 1 - first >= kMinRows && static_cast<size_t>(mono_rows) * 2 <= last + 1 - first) {
      cells = CellsOf(rows, first, last, columns);
    }
    if (cells.empty()) {
      ++first;
      continue;
    }
    PdfLine table;
    table.table = true;
    table.page = lines[rows[first].lines.front()].page;
    table.x0 = rows[first].x0;
    table.x1 = rows[first].x1;
    table.y0 = rows[first].y0;
    table.y1 = rows[last].y1;
    table.size = rows[first].size;
    for (size_t r = first; r <= last; ++r) {
      table.x0 = std::min(table.x0, rows[r].x0);
      table.x1 = std::max(table.x1, rows[r].x1);
      for (size_t index : rows[r].lines) consumed[index] = true;
    }
    table.cells = std::move(cells);
    table.columns = columns;
    SetTableText(table);
    table.first_word_width = table.x1 - table.x0;
    tables.push_back(std::move(table));
    first = last + 1;
  }
  if (tables.empty()) return 0;
  PdfPageLines kept;
  kept.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!consumed[i]) kept.push_back(std::move(lines[i]));
  }
  const size_t found = tables.size();
  for (PdfLine& table : tables) kept.push_back(std::move(table));
  lines = std::move(kept);
  return found;
}

size_t JoinTablesAcrossPages(std::vector<PdfPageLines>& pages) {
  size_t joins = 0;
  for (size_t p = 0; p + 1 < pages.size(); ++p) {
    PdfPageLines& here = pages[p];
    PdfPageLines& next = pages[p + 1];
    if (here.empty() || next.empty() || !next.front().table) continue;
    PdfLine& table = next.front();
    const uint32_t first_page = here.back().first_page ? here.back().first_page : here.back().page;
    if (here.back().table && SameColumns(here.back(), table)) {
      // The rows of the page before come first; a header row the page repeats goes.
      std::vector<std::vector<std::string>> rows = std::move(here.back().cells);
      const bool repeated_header = rows.front() == table.cells.front();
      rows.insert(rows.end(), table.cells.begin() + (repeated_header ? 1 : 0), table.cells.end());
      table.cells = std::move(rows);
      here.pop_back();
    } else {
      // A header row left alone at the foot: the lines of the page's last baseline.
      std::vector<const PdfLine*> row;
      for (auto line = here.rbegin(); line != here.rend() && SameRow(*line, here.back()); ++line) {
        row.insert(row.begin(), &*line);
      }
      std::vector<std::string> header = HeaderCells(row, table);
      if (header.empty()) continue;
      table.cells.insert(table.cells.begin(), std::move(header));
      here.resize(here.size() - row.size());
    }
    table.first_page = first_page;
    SetTableText(table);
    ++joins;
  }
  return joins;
}

}  // namespace tunepack::ingest::internal
