#include "chunk/boundaries.h"

#include <algorithm>

namespace tunepack::chunk::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool IsCloser(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

// Adds line, sentence and word boundaries of text[begin, end). Blank lines are block
// boundaries when `blank_lines_are_blocks` (documents without structure).
void ScanProse(std::string_view text, size_t begin, size_t end, bool blank_lines_are_blocks,
               std::vector<Boundary>* out) {
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (IsSpace(c)) {
      size_t j = i;
      size_t newlines = 0;
      while (j < end && IsSpace(text[j])) newlines += text[j++] == '\n';
      if (j < end) {
        Level level = newlines >= 2 && blank_lines_are_blocks ? kBlock
                      : newlines >= 1                         ? kSentence
                                                              : kWord;
        // A sentence end before the white space makes it a sentence boundary.
        if (level == kWord && i > begin) {
          size_t k = i;
          while (k > begin && IsCloser(text[k - 1])) --k;
          if (k > begin && (text[k - 1] == '.' || text[k - 1] == '!' || text[k - 1] == '?')) {
            level = kSentence;
          }
        }
        out->push_back({j, level});
      }
      i = j - 1;
      continue;
    }
    // CJK full stops end sentences without a following space.
    if (static_cast<unsigned char>(c) == 0xE3 || static_cast<unsigned char>(c) == 0xEF) {
      std::string_view three = text.substr(i, 3);
      if ((three == "\u3002" || three == "\uFF01" || three == "\uFF1F") && i + 3 < end &&
          !IsSpace(text[i + 3])) {
        out->push_back({i + 3, kSentence});
      }
    }
  }
}

// Adds a boundary before each line of text[begin, end) after the first, and word
// boundaries inside lines (a single line may still be over the budget).
void ScanLines(std::string_view text, size_t begin, size_t end, std::vector<Boundary>* out) {
  for (size_t i = begin; i < end; ++i) {
    if (text[i] == '\n' && i + 1 < end) {
      out->push_back({i + 1, kSentence});
    } else if (IsSpace(text[i]) && i + 1 < end && !IsSpace(text[i + 1]) && text[i] != '\n') {
      out->push_back({i + 1, kWord});
    }
  }
}

size_t NextLine(std::string_view text, size_t pos, size_t end) {
  size_t nl = text.find('\n', pos);
  return (nl == std::string_view::npos || nl >= end) ? end : nl + 1;
}

bool IsTableSeparator(std::string_view line) {
  bool dash = false;
  for (char c : line) {
    if (c == '-') dash = true;
    else if (c != '|' && c != ':' && c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return dash;
}

// Returns the fence ("```", "~~~~"...) that `line` opens, or empty.
std::string OpeningFence(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;  // list items indent
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return {};
  size_t j = i;
  while (j < line.size() && line[j] == line[i]) ++j;
  return j - i >= 3 ? std::string(line.substr(i, j - i)) : std::string();
}

// Returns true when `line` is a closing fence for `fence`: the same character, at least as
// many, and nothing else but spaces.
bool ClosesFence(std::string_view line, std::string_view fence) {
  const std::string closing = OpeningFence(line);
  if (closing.empty() || closing[0] != fence[0] || closing.size() < fence.size()) return false;
  const size_t after = line.find(closing) + closing.size();
  return line.substr(after).find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

Structure FindBoundaries(std::string_view text, const std::vector<Block>& blocks,
                         const std::function<bool(const Block&)>& oversized) {
  Structure s;
  std::vector<Boundary>& b = s.boundaries;
  std::vector<size_t> removed;  // positions that must not end a chunk

  if (blocks.empty()) {
    ScanProse(text, 0, text.size(), /*blank_lines_are_blocks=*/true, &b);
  }
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    size_t begin = std::min(block.begin, text.size());
    size_t end = std::min(std::max(block.end, begin), text.size());
    Level level = block.kind == BlockKind::kHeading ? kSection
                  : (block.kind == BlockKind::kListItem && i > 0 &&
                     blocks[i - 1].kind == BlockKind::kListItem)
                      ? kItem
                      : kBlock;
    b.push_back({begin, level});
    if (block.kind == BlockKind::kHeading) {
      // A heading belongs with what follows it: never end a chunk right after one.
      size_t next = i + 1 < blocks.size() ? blocks[i + 1].begin : end;
      removed.push_back(next);
    }
    if (block.kind == BlockKind::kCode || block.kind == BlockKind::kTable) {
      const size_t first_line_end = NextLine(text, begin, end);
      const bool split = oversized(block);
      if (block.kind == BlockKind::kCode) {
        // The opening fence stays with the first line of code, the closing fence with the
        // last one (a fence alone in a chunk is a known failure of other splitters); the
        // pieces between are re-fenced by the chunker.
        std::string_view first = text.substr(begin, first_line_end - begin);
        const std::string fence = OpeningFence(first);
        if (!fence.empty()) {
          size_t last = end;
          while (last > begin && IsSpace(text[last - 1])) --last;
          size_t last_line = text.rfind('\n', last == 0 ? 0 : last - 1);
          size_t code_end = end;
          if (last_line != std::string_view::npos && last_line >= first_line_end &&
              ClosesFence(text.substr(last_line + 1, last - last_line - 1), fence)) {
            code_end = last_line + 1;
          }
          if (split) {
            removed.push_back(first_line_end);
            if (code_end < end) removed.push_back(code_end);
          }
          const std::string indent(first.substr(0, first.find(fence)));
          s.code.push_back({begin, end, first_line_end, code_end, indent + fence, split});
        }
      }
      if (!split) continue;
      ScanLines(text, begin, end, &b);
      if (block.kind == BlockKind::kTable) {
        size_t second_line_end = NextLine(text, first_line_end, end);
        if (IsTableSeparator(text.substr(first_line_end, second_line_end - first_line_end))) {
          removed.push_back(first_line_end);
          removed.push_back(second_line_end);
          s.tables.push_back({begin, end, second_line_end});
        }
      }
      continue;
    }
    // A heading is never cut: its text travels whole with what follows it.
    if (block.kind == BlockKind::kHeading) continue;
    ScanProse(text, begin, end, /*blank_lines_are_blocks=*/false, &b);
  }

  std::sort(b.begin(), b.end(), [](const Boundary& x, const Boundary& y) {
    return x.pos != y.pos ? x.pos < y.pos : x.level < y.level;
  });
  std::sort(removed.begin(), removed.end());
  std::vector<Boundary> unique;
  unique.reserve(b.size());
  for (const Boundary& boundary : b) {
    if (boundary.pos == 0 || boundary.pos >= text.size()) continue;
    if (!unique.empty() && unique.back().pos == boundary.pos) continue;  // strongest kept
    if (std::binary_search(removed.begin(), removed.end(), boundary.pos)) continue;
    unique.push_back(boundary);
  }
  b = std::move(unique);
  return s;
}

}  // namespace tunepack::chunk::internal
