// Lines to blocks. PDF has no paragraphs, only placed lines, so structure is inferred:
// - headings from font size and weight relative to the body text (the size most
//   characters have): larger sizes are headings, ranked largest first; short all-bold
//   blocks at body size rank below them (a rule markitdown's PR #1659 also uses);
// - list items from a leading bullet or number, nested by how far their markers stand in
//   from the column's edge (a marker further in than the item above opens a level);
// - code from monospaced lines, which keep their line breaks and indentation;
// - paragraphs end where the gap between lines grows past the body's usual gap, where the
//   font changes, where the first word of the next line would have fitted on this one (so
//   the line was ended on purpose; a line ending where others of its paragraph end, as in
//   a box narrower than the column, was not), or at a first-line indent.
// A paragraph continues across a column or page break when the text runs on (no closing
// punctuation, next line in lower case).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "ingest/pdf_layout.h"

namespace tunepack::ingest::internal {
namespace {

constexpr float kHeadingRatio = 1.15f;   // a heading is at least this much larger than body
constexpr size_t kMaxHeadingLines = 3;
constexpr size_t kMaxHeadingBytes = 200;
constexpr size_t kMaxBoldHeadingBytes = 120;

float RoundSize(float size) { return std::round(size * 2) / 2; }

// Returns the byte length of a list marker and the space after it at the start of `text`
// ("• ", "- ", "3. ", "b) "), or 0; `ordered` says whether it is a number or letter.
size_t ListMarker(std::string_view text, bool& ordered) {
  static constexpr std::string_view kBullets[] = {
      "\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x80\xA3", "\xE2\x97\x8F",
      "\xE2\x97\x8B", "\xE2\x96\xA0", "\xE2\x96\xA1", "\xC2\xB7",     "\xE2\x80\x93",
      "-",            "*",            "\xEF\x82\xB7"};  // last: Symbol-font bullet (PUA)
  ordered = false;
  for (std::string_view bullet : kBullets) {
    if (text.starts_with(bullet) && text.size() > bullet.size() && text[bullet.size()] == ' ') {
      return bullet.size() + 1;
    }
  }
  size_t i = 0;
  while (i < text.size() && i < 3 && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 && !text.empty() && std::islower(static_cast<unsigned char>(text[0]))) i = 1;
  if (i > 0 && i + 1 < text.size() && (text[i] == '.' || text[i] == ')') && text[i + 1] == ' ') {
    ordered = true;
    return i + 2;
  }
  return 0;
}

bool EndsSentence(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == ')')) {
    text.remove_suffix(1);
  }
  return !text.empty() && std::string_view(".!?:;").find(text.back()) != std::string_view::npos;
}

bool StartsLower(std::string_view text) {
  return !text.empty() && std::islower(static_cast<unsigned char>(text[0]));
}

// BodyMetrics: the document's body text size and its usual gap between lines.
struct BodyMetrics {
  float size = 10;
  float line_gap = 0;
  std::vector<float> heading_sizes;  // rounded, largest first: level = index + 1
};

BodyMetrics MeasureBody(const std::vector<PdfPageLines>& pages) {
  std::map<float, size_t> bytes_by_size;
  for (const PdfPageLines& lines : pages) {
    for (const PdfLine& line : lines) {
      if (!line.table) bytes_by_size[RoundSize(line.size)] += line.text.size();
    }
  }
  BodyMetrics body;
  size_t best = 0;
  for (const auto& [size, bytes] : bytes_by_size) {
    if (bytes > best) {
      best = bytes;
      body.size = size;
    }
  }
  for (auto it = bytes_by_size.rbegin(); it != bytes_by_size.rend(); ++it) {
    if (it->first >= body.size * kHeadingRatio && body.heading_sizes.size() < 6) {
      body.heading_sizes.push_back(it->first);
    }
  }
  std::vector<float> gaps;
  for (const PdfPageLines& lines : pages) {
    for (size_t i = 1; i < lines.size(); ++i) {
      const PdfLine& a = lines[i - 1];
      const PdfLine& b = lines[i];
      if (a.table || b.table || a.column != b.column || RoundSize(a.size) != body.size ||
          RoundSize(b.size) != body.size) {
        continue;
      }
      const float gap = b.y0 - a.y1;
      if (gap > -body.size && gap < body.size) gaps.push_back(gap);
    }
  }
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    body.line_gap = gaps[gaps.size() / 2];
  }
  return body;
}

class BlockAssembler {
 public:
  BlockAssembler(const BodyMetrics& body, const std::unordered_set<std::string>& witnesses)
      : body_(body), witnesses_(witnesses) {}

  void Add(const PdfLine& line) {
    if (line.table) {  // FindTables made it whole
      Flush();
      list_levels_.clear();
      PdfBlock block;
      block.kind = BlockKind::kTable;
      block.text = line.text;
      block.first_page = line.first_page ? line.first_page : line.page;
      block.last_page = line.page;
      blocks_.push_back(std::move(block));
      return;
    }
    bool ordered = false;
    const size_t marker = ListMarker(line.text, ordered);
    if (!lines_.empty() && Breaks(*lines_.back(), line, marker > 0)) Flush();
    if (lines_.empty()) {
      marker_ = marker;
      ordered_ = ordered;
    }
    lines_.push_back(&line);
  }

  std::vector<PdfBlock> Finish() {
    Flush();
    return std::move(blocks_);
  }

 private:
  // Returns true when `next` starts a new block after `last`.
  bool Breaks(const PdfLine& last, const PdfLine& next, bool next_is_item) const {
    if (next_is_item) return true;
    if (last.mono != next.mono) return true;
    if (last.mono && next.mono) return false;  // code runs on, blank lines and all
    if (std::fabs(RoundSize(last.size) - RoundSize(next.size)) > 0.6f) return true;
    if (last.bold != next.bold) return true;
    const float gap = next.y0 - last.y1;
    const bool close_below = next.y0 > last.y0 && gap <= body_.line_gap + 0.3f * next.size;
    // A line that follows closely under the previous one, at its left edge, continues it
    // even when one spans the columns and the other does not (a title's second line).
    const bool same_flow =
        last.page == next.page && next.y0 > last.y0 &&
        (last.column == next.column || (close_below && std::fabs(next.x0 - last.x0) < 2 * next.size));
    if (!same_flow) {
      // Text runs on into the next column or page when nothing closes it.
      return marker_ > 0 || IsHeadingSize(last.size) || EndsSentence(last.text) ||
             !StartsLower(next.text);
    }
    if (!close_below) return true;
    if (marker_ > 0) {
      // A list item's further lines hang under its text, not under its marker.
      return next.x0 < lines_.front()->x0 + 0.5f * next.size;
    }
    // Headings are often broken short on purpose; their lines stay together.
    if (IsHeadingSize(next.size) || (last.bold && next.bold)) return false;
    if (!EndsAtTextEdge(last, next)) {
      const float room = last.column_x1 - last.x1;
      if (room > next.first_word_width + 0.8f * next.size) return true;
    }
    // A first-line indent after a line that starts at the margin.
    const float indent = next.x0 - next.column_x0;
    return indent > 0.8f * next.size && indent < 6 * next.size &&
           last.x0 - last.column_x0 < 0.3f * next.size;
  }

  // True when `last` ends where the text's right edge is, though short of the column's:
  // text set in a box or an indented note is justified to the box, so its full lines end
  // together. The edge is witnessed by the paragraph's line before `last` or by `next`
  // ending at the same place (a line that ends early on purpose has no such twin; the
  // lines before are full, or the paragraph would have ended there).
  bool EndsAtTextEdge(const PdfLine& last, const PdfLine& next) const {
    constexpr float kSameEdge = 1.0f;  // points
    if (std::fabs(next.x1 - last.x1) <= kSameEdge) return true;
    return lines_.size() >= 2 && std::fabs(lines_[lines_.size() - 2]->x1 - last.x1) <= kSameEdge;
  }

  bool IsHeadingSize(float size) const {
    return RoundSize(size) >= body_.size * kHeadingRatio;
  }

  int HeadingLevel(float size) const {
    const float rounded = RoundSize(size);
    for (size_t i = 0; i < body_.heading_sizes.size(); ++i) {
      if (body_.heading_sizes[i] <= rounded) return static_cast<int>(i) + 1;
    }
    return static_cast<int>(body_.heading_sizes.size());
  }

  void Flush() {
    if (lines_.empty()) return;
    PdfBlock block;
    block.first_page = lines_.front()->page;
    block.last_page = lines_.back()->page;
    const PdfLine& first = *lines_.front();
    bool all_mono = true, all_bold = true;
    for (const PdfLine* line : lines_) {
      all_mono = all_mono && line->mono;
      all_bold = all_bold && line->bold;
    }
    if (all_mono) {
      block.kind = BlockKind::kCode;
      float left = first.x0;
      for (const PdfLine* line : lines_) left = std::min(left, line->x0);
      const float char_width = std::max(1.0f, 0.6f * first.size);
      for (const PdfLine* line : lines_) {
        if (!block.text.empty()) block.text.push_back('\n');
        const int indent = static_cast<int>(std::lround((line->x0 - left) / char_width));
        block.text.append(static_cast<size_t>(std::clamp(indent, 0, 80)), ' ');
        block.text += line->text;
      }
    } else {
      for (size_t i = 0; i < lines_.size(); ++i) {
        std::string_view text = lines_[i]->text;
        if (i == 0) text.remove_prefix(marker_);
        JoinLine(block.text, text, witnesses_);
      }
      if (marker_ > 0) {
        block.kind = BlockKind::kListItem;
        block.ordered = ordered_;
        if (ordered_) block.marker = first.text.substr(0, marker_ - 1);
        Nest(first, block);
      } else if (IsHeadingSize(first.size) && lines_.size() <= kMaxHeadingLines &&
                 block.text.size() <= kMaxHeadingBytes) {
        block.kind = BlockKind::kHeading;
        block.level = HeadingLevel(first.size);
      } else if (all_bold && lines_.size() <= 2 && block.text.size() <= kMaxBoldHeadingBytes &&
                 RoundSize(first.size) >= body_.size * 0.95f &&
                 std::string_view(".,;").find(block.text.back()) == std::string_view::npos) {
        block.kind = BlockKind::kHeading;
        block.level = std::min(6, static_cast<int>(body_.heading_sizes.size()) + 1);
      }
    }
    if (block.kind == BlockKind::kHeading || (block.kind != BlockKind::kListItem && !InsideList(first))) {
      list_levels_.clear();
    }
    blocks_.push_back(std::move(block));
    lines_.clear();
    marker_ = 0;
  }

  // Sets a list item's nesting from its marker's distance to the column's edge: items of
  // one level share it, a marker further in than the item above opens a level, one
  // further out closes the levels it passes.
  void Nest(const PdfLine& first, PdfBlock& item) {
    const float indent = first.x0 - first.column_x0;
    const float tolerance = 0.8f * first.size;  // right-aligned numbers "9." and "10." are one level
    while (!list_levels_.empty() && list_levels_.back().indent > indent + tolerance) {
      list_levels_.pop_back();
    }
    if (!list_levels_.empty() && list_levels_.back().indent >= indent - tolerance) {
      list_levels_.pop_back();  // a sibling: it takes the level's place
    }
    item.level = static_cast<int>(list_levels_.size());
    item.indent = list_levels_.empty() ? 0 : list_levels_.back().content;
    const size_t marker_width = item.ordered ? item.marker.size() + 1 : 2;  // "- "
    list_levels_.push_back({indent, item.indent + marker_width});
  }

  // True when a block starting with `first` stands inside the open list (a paragraph or
  // code indented under an item), so the list's levels stay open after it.
  bool InsideList(const PdfLine& first) const {
    return !list_levels_.empty() &&
           first.x0 - first.column_x0 > list_levels_.front().indent + 0.8f * first.size;
  }

  const BodyMetrics& body_;
  const std::unordered_set<std::string>& witnesses_;
  std::vector<const PdfLine*> lines_;
  size_t marker_ = 0;
  // The open list's levels, outermost first: where each level's markers stand in the
  // column, and where its items' text starts in the Markdown (a nested item's indent).
  struct ListLevel {
    float indent;
    size_t content;
  };
  std::vector<ListLevel> list_levels_;
  bool ordered_ = false;
  std::vector<PdfBlock> blocks_;
};

}  // namespace

std::vector<PdfBlock> BuildBlocks(const std::vector<PdfPageLines>& pages) {
  const BodyMetrics body = MeasureBody(pages);
  const std::unordered_set<std::string> witnesses = CollectWitnesses(pages);
  BlockAssembler assembler(body, witnesses);
  for (const PdfPageLines& lines : pages) {
    for (const PdfLine& line : lines) assembler.Add(line);
  }
  return assembler.Finish();
}

}  // namespace tunepack::ingest::internal
