// md4c finds the code; its text callbacks point into the source, so the extent of each piece
// of code is the range its pointers cover, widened to whole lines for code blocks.
#include "ingest/markdown_code.h"

#include <md4c.h>

#include <algorithm>

namespace tunepack::ingest::internal {
namespace {

class CodeCollector {
 public:
  explicit CodeCollector(std::string_view text) : text_(text) {}

  void EnterBlock(MD_BLOCKTYPE type, void* detail) {
    if (type != MD_BLOCK_CODE) return;
    Open(static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->fence_char);
  }
  void LeaveBlock(MD_BLOCKTYPE type) {
    if (type == MD_BLOCK_CODE) CloseBlock();
  }
  void EnterSpan(MD_SPANTYPE type) {
    if (type != MD_SPAN_CODE || open_) return;
    Open(0);
    span_ = true;
  }
  void LeaveSpan(MD_SPANTYPE type) {
    if (type != MD_SPAN_CODE || !span_) return;
    span_ = false;
    if (open_ && has_text_) Add(min_, max_);
    open_ = false;
  }
  void Text(const MD_CHAR* data, MD_SIZE size) {
    if (!open_) return;
    // Synthesised text (a line break in code, a NUL replacement) lies outside the source.
    if (data < text_.data() || data + size > text_.data() + text_.size()) return;
    const size_t begin = static_cast<size_t>(data - text_.data());
    if (!has_text_ || begin < min_) min_ = begin;
    if (!has_text_ || begin + size > max_) max_ = begin + size;
    has_text_ = true;
  }

  std::vector<normalize::TextRange> Take() {
    std::sort(ranges_.begin(), ranges_.end(),
              [](const auto& a, const auto& b) { return a.begin < b.begin; });
    std::vector<normalize::TextRange> merged;
    for (const normalize::TextRange& range : ranges_) {
      if (!merged.empty() && range.begin <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, range.end);
      } else {
        merged.push_back(range);
      }
    }
    return merged;
  }

 private:
  void Open(char fence) {
    open_ = true;
    has_text_ = false;
    fence_ = fence;
  }

  size_t LineStart(size_t pos) const {
    const size_t newline = pos == 0 ? std::string_view::npos : text_.rfind('\n', pos - 1);
    return newline == std::string_view::npos ? 0 : newline + 1;
  }
  size_t LineEnd(size_t pos) const {
    const size_t newline = text_.find('\n', pos);
    return newline == std::string_view::npos ? text_.size() : newline;
  }
  bool IsFenceLine(size_t line_start) const {
    const std::string_view line = text_.substr(line_start, LineEnd(line_start) - line_start);
    const std::string_view fence(fence_ == '~' ? "~~~" : "```");
    return line.find(fence) != std::string_view::npos;
  }

  void CloseBlock() {
    if (!open_) return;
    open_ = false;
    if (!has_text_) return;
    size_t begin = LineStart(min_);
    size_t end = LineEnd(max_ > min_ ? max_ - 1 : min_);
    if (fence_ != 0) {
      // Blank lines after the opening fence and before the closing one are code too.
      while (begin > 0) {
        const size_t previous = LineStart(begin - 1);
        if (IsFenceLine(previous)) break;
        begin = previous;
      }
      while (end < text_.size()) {
        const size_t next = end + 1;
        if (next >= text_.size() || IsFenceLine(next)) {
          end = next;  // the last code line's '\n' belongs to the code
          break;
        }
        end = LineEnd(next);
      }
    }
    Add(begin, std::min(end, text_.size()));
  }

  void Add(size_t begin, size_t end) {
    if (end > begin) ranges_.push_back({begin, end});
  }

  std::string_view text_;
  std::vector<normalize::TextRange> ranges_;
  bool open_ = false;
  bool span_ = false;
  bool has_text_ = false;
  char fence_ = 0;
  size_t min_ = 0;
  size_t max_ = 0;
};

}  // namespace

std::vector<normalize::TextRange> FindMarkdownCode(std::string_view text) {
  // Cheap exit: no code without a backtick, a tilde fence or an indented line.
  if (text.find('`') == std::string_view::npos && text.find("~~~") == std::string_view::npos &&
      text.find("\n    ") == std::string_view::npos && text.find("\n\t") == std::string_view::npos &&
      !text.starts_with("    ") && !text.starts_with('\t')) {
    return {};
  }
  CodeCollector collector(text);
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
  parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* user) {
    static_cast<CodeCollector*>(user)->EnterBlock(type, detail);
    return 0;
  };
  parser.leave_block = [](MD_BLOCKTYPE type, void*, void* user) {
    static_cast<CodeCollector*>(user)->LeaveBlock(type);
    return 0;
  };
  parser.enter_span = [](MD_SPANTYPE type, void*, void* user) {
    static_cast<CodeCollector*>(user)->EnterSpan(type);
    return 0;
  };
  parser.leave_span = [](MD_SPANTYPE type, void*, void* user) {
    static_cast<CodeCollector*>(user)->LeaveSpan(type);
    return 0;
  };
  parser.text = [](MD_TEXTTYPE, const MD_CHAR* data, MD_SIZE size, void* user) {
    static_cast<CodeCollector*>(user)->Text(data, size);
    return 0;
  };
  if (md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &collector) != 0) {
    return {};  // out of memory: normalised like the rest, as before
  }
  return collector.Take();
}

}  // namespace tunepack::ingest::internal
