// Running headers, footers and page numbers. A line counts as running when it sits at a
// page edge (among the first or last two lines, within the outer fifth of the page) and its
// text, with digits blurred ("Page 3" ~ "Page 12"), recurs at the edges of three pages, or
// of two when that is half the pages with text; lines larger than the body text are never
// running (a chapter's opening heading). A lone page number ("12", "- 12 -", "xiv",
// "Page 3 of 9") at an edge goes whatever the page count: it is the page's label, which
// each block keeps in its metadata instead. Either stays
// when a line of text that stays shares its row (a table's last row at the page's foot).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

constexpr size_t kEdgeLines = 2;
constexpr float kEdgeFraction = 0.2f;

// Returns the text with digit runs as '#', ASCII lower-cased and spaces collapsed.
std::string BlurredKey(std::string_view text) {
  std::string key;
  bool in_digits = false;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      if (!in_digits) key.push_back('#');
      in_digits = true;
      continue;
    }
    in_digits = false;
    if (c == ' ' && (key.empty() || key.back() == ' ')) continue;
    key.push_back(static_cast<char>(std::tolower(u)));
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

bool IsRoman(std::string_view word) {
  if (word.empty() || word.size() > 8) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::string_view("ivxlcdm").find(static_cast<char>(std::tolower(
               static_cast<unsigned char>(c)))) != std::string_view::npos;
  });
}

// True for "12", "- 12 -", "xiv", "Page 3", "page 3 of 9", "3 / 9".
bool IsPageNumber(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
    if (!std::isalnum(u) && c != ' ' && c != '-' && c != '/' && c != '|' && c != '.' &&
        c != '(' && c != ')' && u < 0x80) {
      return false;
    }
    if (u >= 0x80 && u != 0xE2 && u != 0x80 && u != 0x93 && u != 0x94) return false;  // dashes
  }
  if (!word.empty()) words.push_back(std::move(word));
  auto number = [](const std::string& w) {
    return (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
             return std::isdigit(static_cast<unsigned char>(c));
           })) || IsRoman(w);
  };
  if (words.empty()) return false;
  size_t i = 0;
  if (words[i] == "page" || words[i] == "p") ++i;
  if (i >= words.size() || !number(words[i])) return false;
  ++i;
  if (i < words.size() && words[i] == "of") ++i;
  if (i < words.size() && number(words[i])) ++i;
  return i == words.size();
}

// Returns the indices of the lines at the top and bottom edges of `lines`.
std::vector<size_t> EdgeLines(const PdfPageLines& lines, float page_height) {
  std::vector<size_t> order(lines.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return lines[a].y0 != lines[b].y0 ? lines[a].y0 < lines[b].y0 : lines[a].x0 < lines[b].x0;
  });
  float top = page_height * kEdgeFraction, bottom = page_height * (1 - kEdgeFraction);
  if (page_height <= 0) {
    top = lines.empty() ? 0 : lines[order.front()].y1;
    bottom = lines.empty() ? 0 : lines[order.back()].y0;
  }
  std::set<size_t> edges;
  for (size_t k = 0; k < order.size() && k < kEdgeLines; ++k) {
    if (lines[order[k]].y1 <= top) edges.insert(order[k]);
  }
  for (size_t k = 0; k < order.size() && k < kEdgeLines; ++k) {
    const size_t i = order[order.size() - 1 - k];
    if (lines[i].y0 >= bottom) edges.insert(i);
  }
  return {edges.begin(), edges.end()};
}

// Returns the size most of the document's text has (rounded to half points).
float BodySize(const std::vector<PdfPageLines>& pages) {
  std::map<float, size_t> bytes_by_size;
  for (const PdfPageLines& lines : pages) {
    for (const PdfLine& line : lines) {
      bytes_by_size[std::round(line.size * 2) / 2] += line.text.size();
    }
  }
  float body = 0;
  size_t best = 0;
  for (const auto& [size, bytes] : bytes_by_size) {
    if (bytes > best) {
      best = bytes;
      body = size;
    }
  }
  return body;
}

// True when the row of `lines[i]` stands within the page's text, closer than a font size
// to the nearest line off its row; page furniture is set apart from the text.
bool InsideText(const PdfPageLines& lines, size_t i) {
  const PdfLine& line = lines[i];
  for (const PdfLine& other : lines) {
    if (SameRow(line, other)) continue;
    const float gap = other.y0 >= line.y1 ? other.y0 - line.y1 : line.y0 - other.y1;
    if (gap < std::max(line.size, other.size)) return true;
  }
  return false;
}

// Keeps every line marked to drop that shares its row, within the page's text, with a line
// that stays: the last row of a table at a page's foot ("beta | 7 | m") has cells that look
// like a page number or recur at the edges ("kg"), where a running head beside its page
// number stands apart. Repeated until nothing changes, as a line kept may keep others.
void KeepRowsOfText(const PdfPageLines& lines, std::vector<bool>& drop) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!drop[i] || !InsideText(lines, i)) continue;
      for (size_t j = 0; j < lines.size(); ++j) {
        if (!drop[j] && SameRow(lines[i], lines[j])) {
          drop[i] = false;
          changed = true;
          break;
        }
      }
    }
  }
}

}  // namespace

size_t RemoveRunningLines(std::vector<PdfPageLines>& pages, const std::vector<PdfPageInfo>& info) {
  // Running heads are set no larger than the body; a chapter's opening heading ("Chapter
  // 2", digits blurred like the others) is larger and must survive.
  const float largest_running = BodySize(pages) * 1.1f;
  std::vector<float> heights(pages.size(), 0);
  for (const PdfPageInfo& page : info) {
    if (page.number >= 1 && page.number <= pages.size()) heights[page.number - 1] = page.height;
  }
  std::vector<std::vector<size_t>> edges(pages.size());
  std::map<std::string, size_t> pages_with_key;
  size_t pages_with_text = 0;
  for (size_t p = 0; p < pages.size(); ++p) {
    if (pages[p].empty()) continue;
    ++pages_with_text;
    edges[p] = EdgeLines(pages[p], heights[p]);
    std::erase_if(edges[p], [&](size_t i) { return pages[p][i].size > largest_running; });
    std::set<std::string> keys;
    for (size_t i : edges[p]) keys.insert(BlurredKey(pages[p][i].text));
    for (const std::string& key : keys) ++pages_with_key[key];
  }
  size_t removed = 0;
  for (size_t p = 0; p < pages.size(); ++p) {
    std::vector<bool> drop(pages[p].size(), false);
    for (size_t i : edges[p]) drop[i] = IsPageNumber(pages[p][i].text);
    for (size_t i : edges[p]) {
      const PdfLine& line = pages[p][i];
      const size_t count = pages_with_key[BlurredKey(line.text)];
      // Per-chapter heads ("Chapter 2: Handling") recur on that chapter's pages only; a
      // head that shares its row with the page number is one even on two pages.
      bool beside_page_number = false;
      for (size_t j : edges[p]) {
        beside_page_number = beside_page_number || (j != i && drop[j] && SameRow(line, pages[p][j]));
      }
      const bool running = count >= 3 || (count >= 2 && (beside_page_number || count * 2 >= pages_with_text));
      drop[i] = drop[i] || running;
    }
    KeepRowsOfText(pages[p], drop);
    PdfPageLines kept;
    kept.reserve(pages[p].size());
    for (size_t i = 0; i < pages[p].size(); ++i) {
      if (drop[i]) {
        ++removed;
      } else {
        kept.push_back(std::move(pages[p][i]));
      }
    }
    pages[p] = std::move(kept);
  }
  return removed;
}

}  // namespace tunepack::ingest::internal
