// Reading order with column detection. Columns show as gaps in the horizontal projection of
// the page's narrow lines (lines narrower than about half the text width): a full-width
// title or a single-column paragraph would bridge the gutter, so wide lines are left out
// of the projection and placed afterwards, as separators between stretches of columns.
// A gap counts as a gutter only when the text on each side of it is a real column: at
// least three lines, side by side with its neighbour, and most of the page's lines are
// narrow. Sorting by y then x (what fast extractors do) interleaves the columns line by
// line (docling issue #2204, unstructured issue #3619).
#include <algorithm>
#include <cmath>

#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

constexpr float kNarrowFraction = 0.6f;
constexpr size_t kMinColumnLines = 3;

struct Interval {
  float x0, x1;
  float y0, y1;   // vertical extent of the lines in it
  size_t lines;
};

bool ByPosition(const PdfLine& a, const PdfLine& b) {
  return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
}

// Returns the columns the narrow lines form, left to right; one or none means no columns.
std::vector<Interval> FindColumns(const PdfPageLines& lines, float left, float right) {
  const float width = right - left;
  std::vector<const PdfLine*> narrow;
  for (const PdfLine& line : lines) {
    if (line.x1 - line.x0 < kNarrowFraction * width) narrow.push_back(&line);
  }
  if (narrow.size() * 2 < lines.size()) return {};
  std::sort(narrow.begin(), narrow.end(),
            [](const PdfLine* a, const PdfLine* b) { return a->x0 < b->x0; });
  std::vector<Interval> columns;
  for (const PdfLine* line : narrow) {
    // A gutter must be wider than a word space at this size.
    const float min_gap = std::max(4.0f, 0.8f * line->size);
    if (!columns.empty() && line->x0 < columns.back().x1 + min_gap) {
      Interval& column = columns.back();
      column.x1 = std::max(column.x1, line->x1);
      column.y0 = std::min(column.y0, line->y0);
      column.y1 = std::max(column.y1, line->y1);
      ++column.lines;
    } else {
      columns.push_back({line->x0, line->x1, line->y0, line->y1, 1});
    }
  }
  // Stray narrow lines (a centred caption, a right-aligned date) are not columns: drop
  // intervals with too few lines, then require neighbours to sit side by side.
  std::erase_if(columns, [](const Interval& c) { return c.lines < kMinColumnLines; });
  for (size_t i = 1; i < columns.size(); ++i) {
    const float overlap = std::min(columns[i - 1].y1, columns[i].y1) -
                          std::max(columns[i - 1].y0, columns[i].y0);
    const float shorter = std::min(columns[i - 1].y1 - columns[i - 1].y0,
                                   columns[i].y1 - columns[i].y0);
    if (overlap < 0.3f * shorter) return {};
  }
  return columns.size() >= 2 ? columns : std::vector<Interval>{};
}

// Joins the pieces of each row of a page without columns back into one line, left to
// right: the gaps that cut them were tab stops, dot leaders before a page number in a table
// of contents, or table cells, which read along the row.
void JoinRows(PdfPageLines& lines) {
  PdfPageLines joined;
  joined.reserve(lines.size());
  for (PdfLine& line : lines) {
    if (!joined.empty()) {
      PdfLine& row = joined.back();
      const float overlap = std::min(row.y1, line.y1) - std::max(row.y0, line.y0);
      const float smaller = std::min(row.y1 - row.y0, line.y1 - line.y0);
      if (smaller > 0 && overlap >= 0.5f * smaller && line.x0 >= row.x1) {
        row.text += ' ';
        row.text += line.text;
        for (PdfWord& word : line.words) row.words.push_back(std::move(word));
        row.x1 = line.x1;
        row.y0 = std::min(row.y0, line.y0);
        row.y1 = std::max(row.y1, line.y1);
        row.bold = row.bold && line.bold;
        row.mono = row.mono && line.mono;
        continue;
      }
    }
    joined.push_back(std::move(line));
  }
  lines = std::move(joined);
}

}  // namespace

void OrderForReading(PdfPageLines& lines) {
  if (lines.empty()) return;
  float left = lines.front().x0, right = lines.front().x1;
  for (const PdfLine& line : lines) {
    left = std::min(left, line.x0);
    right = std::max(right, line.x1);
  }
  const std::vector<Interval> columns = FindColumns(lines, left, right);
  if (columns.empty()) {
    std::stable_sort(lines.begin(), lines.end(), ByPosition);
    JoinRows(lines);
    for (PdfLine& line : lines) {
      line.column = 0;
      line.column_x0 = left;
      line.column_x1 = right;
    }
    return;
  }
  // Gutters lie between neighbouring columns; a line crossing one spans the columns.
  std::vector<float> gutters;
  for (size_t i = 1; i < columns.size(); ++i) {
    gutters.push_back((columns[i - 1].x1 + columns[i].x0) / 2);
  }
  for (PdfLine& line : lines) {
    line.column = 0;
    for (float gutter : gutters) {
      if (line.x0 < gutter - 1 && line.x1 > gutter + 1) {
        line.column = -1;
        break;
      }
      if (line.x0 >= gutter) ++line.column;
    }
    if (line.column < 0) {
      line.column_x0 = left;
      line.column_x1 = right;
    } else {
      line.column_x0 = columns[line.column].x0;
      line.column_x1 = columns[line.column].x1;
    }
  }
  // Spanning lines cut the page into stretches; each stretch is read column by column.
  std::stable_sort(lines.begin(), lines.end(), ByPosition);
  PdfPageLines ordered;
  ordered.reserve(lines.size());
  std::vector<PdfLine> stretch;
  auto flush = [&] {
    std::stable_sort(stretch.begin(), stretch.end(), [](const PdfLine& a, const PdfLine& b) {
      return a.column != b.column ? a.column < b.column : ByPosition(a, b);
    });
    for (PdfLine& line : stretch) ordered.push_back(std::move(line));
    stretch.clear();
  };
  for (PdfLine& line : lines) {
    if (line.column < 0) {
      flush();
      ordered.push_back(std::move(line));
    } else {
      stretch.push_back(std::move(line));
    }
  }
  flush();
  lines = std::move(ordered);
}

}  // namespace tunepack::ingest::internal
