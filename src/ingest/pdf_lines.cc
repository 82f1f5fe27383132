// Words to lines. The helper's word order is not trusted (PDF content streams may draw text
// in any order), so lines are rebuilt from positions: words are sorted by their vertical
// centre, gathered into rows of words that overlap vertically, and each row is cut where
// the horizontal gap is wider than a word space can be (a column gutter).
#include <algorithm>
#include <cmath>

#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

// A gap wider than this many font sizes separates two lines on one row: word spaces in
// justified text stay well under one em; column gutters are one and a half or more.
constexpr float kGutterEms = 1.2f;
// Words closer than this many font sizes with no space reported are one word split by a
// font change ("bold" + "ly").
constexpr float kSpaceEms = 0.15f;

float Height(const PdfRun& run) { return run.y1 - run.y0; }
float CentreY(const PdfRun& run) { return (run.y0 + run.y1) / 2; }

// Returns the number of characters (UTF-8 lead bytes) in `text`.
size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

PdfLine MakeLine(const std::vector<const PdfRun*>& words) {
  PdfLine line;
  line.page = words.front()->page;
  line.x0 = words.front()->x0;
  line.x1 = words.back()->x1;
  line.y0 = words.front()->y0;
  line.y1 = words.front()->y1;
  line.first_word_width = words.front()->x1 - words.front()->x0;
  size_t chars = 0, bold_chars = 0, mono_chars = 0;
  std::vector<std::pair<float, size_t>> sizes;  // size, characters
  const PdfRun* previous = nullptr;
  for (const PdfRun* word : words) {
    line.y0 = std::min(line.y0, word->y0);
    line.y1 = std::max(line.y1, word->y1);
    bool space_before = false;
    if (previous != nullptr) {
      const float gap = word->x0 - previous->x1;
      if (previous->space_after || gap > kSpaceEms * std::max(previous->size, word->size)) {
        line.text.push_back(' ');
        space_before = true;
      }
    }
    const std::string text = ExpandLigatures(word->text);
    line.text += text;
    line.words.push_back({word->x0, word->x1, space_before, word->mono, text});
    const size_t n = CharacterCount(text);
    chars += n;
    bold_chars += word->bold ? n : 0;
    mono_chars += word->mono ? n : 0;
    auto it = std::find_if(sizes.begin(), sizes.end(),
                           [&](const auto& s) { return std::fabs(s.first - word->size) < 0.1f; });
    if (it == sizes.end()) {
      sizes.emplace_back(word->size, n);
    } else {
      it->second += n;
    }
    previous = word;
  }
  // Ties go to the larger size: a heading's small-caps tail does not demote it.
  const auto dominant = std::max_element(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  line.size = dominant->first;
  line.bold = bold_chars * 10 >= chars * 8;
  line.mono = mono_chars == chars;
  return line;
}

// Cuts one row (words overlapping vertically) into lines at gutters.
void EmitRow(std::vector<const PdfRun*>& row, PdfPageLines& out) {
  std::sort(row.begin(), row.end(), [](const PdfRun* a, const PdfRun* b) {
    return a->x0 != b->x0 ? a->x0 < b->x0 : a->y0 < b->y0;
  });
  std::vector<const PdfRun*> words;
  for (const PdfRun* run : row) {
    if (!words.empty()) {
      const PdfRun& last = *words.back();
      const float size = std::max(1.0f, std::min(last.size, run->size));
      if (run->x0 - last.x1 > kGutterEms * size) {
        out.push_back(MakeLine(words));
        words.clear();
      }
    }
    words.push_back(run);
  }
  if (!words.empty()) out.push_back(MakeLine(words));
  row.clear();
}

PdfPageLines LinesOfPage(std::vector<const PdfRun*>& runs) {
  std::sort(runs.begin(), runs.end(), [](const PdfRun* a, const PdfRun* b) {
    const float ca = CentreY(*a), cb = CentreY(*b);
    return ca != cb ? ca < cb : a->x0 < b->x0;
  });
  PdfPageLines lines;
  std::vector<const PdfRun*> row;
  float row_y0 = 0, row_y1 = 0;
  for (const PdfRun* run : runs) {
    if (!row.empty()) {
      const float overlap = std::min(row_y1, run->y1) - std::max(row_y0, run->y0);
      const float smaller = std::min(row_y1 - row_y0, Height(*run));
      if (overlap < 0.5f * smaller || smaller <= 0) EmitRow(row, lines);
    }
    if (row.empty()) {
      row_y0 = run->y0;
      row_y1 = run->y1;
    }
    row.push_back(run);
  }
  if (!row.empty()) EmitRow(row, lines);
  return lines;
}

}  // namespace

std::string ExpandLigatures(std::string_view text) {
  // U+FB00..U+FB06 are EF AC 80..86 in UTF-8.
  static constexpr std::string_view kSpelled[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  if (text.find("\xEF\xAC") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 4);
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && text[i] == '\xEF' && text[i + 1] == '\xAC') {
      const unsigned char last = static_cast<unsigned char>(text[i + 2]);
      if (last >= 0x80 && last <= 0x86) {
        out += kSpelled[last - 0x80];
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::vector<PdfPageLines> BuildLines(const PdfContent& content) {
  std::vector<PdfPageLines> pages(content.page_count);
  std::vector<const PdfRun*> runs;
  size_t index = 0;
  while (index < content.runs.size()) {
    const uint32_t page = content.runs[index].page;
    runs.clear();
    while (index < content.runs.size() && content.runs[index].page == page) {
      runs.push_back(&content.runs[index++]);
    }
    pages[page - 1] = LinesOfPage(runs);
  }
  return pages;
}

bool SameRow(const PdfLine& a, const PdfLine& b) {
  const float overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  return overlap > 0 && overlap >= 0.5f * std::min(a.y1 - a.y0, b.y1 - b.y0);
}

}  // namespace tunepack::ingest::internal
