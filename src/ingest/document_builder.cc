#include "ingest/document_builder.h"

namespace tunepack::ingest::internal {

std::vector<std::string> HeadingPath::Enter(int level, std::string text) {
  while (!levels_.empty() && levels_.back() >= level) {
    levels_.pop_back();
    path_.pop_back();
  }
  std::vector<std::string> parents = path_;
  levels_.push_back(level);
  path_.push_back(std::move(text));
  return parents;
}

std::string_view TrimBlankEnds(std::string_view text) {
  // Leading: drop whole blank lines only, so the indentation of the first line survives.
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      start = i + 1;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      break;
    }
  }
  text.remove_prefix(std::min(start, text.size()));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  // Text made only of whitespace has no content at all.
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  return text;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool DocumentBuilder::Add(BlockKind kind, std::string_view markdown, int level, std::string info,
                          std::string heading_text, bool tight) {
  // Code is data: only its line endings are normalised.
  const std::string normalized = normalize::Normalize(
      markdown, kind == BlockKind::kCode ? normalize::CodeOptions(normalize_) : normalize_);
  const std::string_view body = TrimBlankEnds(normalized);
  if (body.empty()) return false;
  Block block;
  block.kind = kind;
  block.level = level;
  block.info = std::move(info);
  if (kind == BlockKind::kHeading) {
    std::string plain = CollapseWhitespace(normalize::Normalize(heading_text, normalize_));
    if (level == 1 && first_h1_.empty()) first_h1_ = plain;
    block.heading_path = headings_.Enter(level, std::move(plain));
  } else {
    block.heading_path = headings_.current();
  }
  if (!text_.empty()) {
    const bool continues_list = tight && kind == BlockKind::kListItem &&
                                blocks_.back().kind == BlockKind::kListItem;
    text_.append(continues_list ? "\n" : "\n\n");
  }
  block.begin = text_.size();
  text_.append(body);
  block.end = text_.size();
  blocks_.push_back(std::move(block));
  return true;
}

void DocumentBuilder::Finish(Document& doc) {
  doc.text = std::move(text_);
  doc.blocks = std::move(blocks_);
  text_.clear();
  blocks_.clear();
}

}  // namespace tunepack::ingest::internal
