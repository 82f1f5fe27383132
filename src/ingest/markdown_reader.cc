// Markdown: the text stays the (normalised) Markdown source, because its markup is what a
// model should learn to produce (code blocks and spans keep their text as is, line endings
// aside); md4c (CommonMark + GitHub tables, strikethrough, task
// lists) finds the structure, and blocks index the source by the text pointers md4c hands
// to its callbacks, widened to whole lines so that markers ("# ", "- ", fences) belong to
// their block.
#include <md4c.h>

#include <optional>
#include <string>

#include "ingest/document_builder.h"
#include "ingest/document_readers.h"
#include "ingest/markdown_code.h"

namespace tunepack::ingest::internal {
namespace {

// Splits off YAML front matter ("---" line, key: value lines, "---" or "..." line) and
// returns its `title:` value, or empty.
std::string TakeFrontMatter(std::string_view& text) {
  if (text.substr(0, 4) != "---\n") return {};
  size_t pos = 4;
  std::string title;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    if (line == "---" || line == "...") {
      text.remove_prefix(std::min(eol + 1, text.size()));
      return title;
    }
    if (line.substr(0, 6) == "title:") {
      std::string_view value = line.substr(6);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      title = std::string(value);
    }
    pos = eol + 1;
  }
  return {};  // never closed: not front matter after all
}

// OpenBlock: a block whose extent is still being gathered from md4c's text callbacks.
// (At namespace scope: clang cannot default-construct a nested class with member
// initializers inside std::optional before the enclosing class is complete.)
struct OpenBlock {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;
  bool has_text = false;
  size_t min = 0;  // source range covered by the text seen so far
  size_t max = 0;
  char fence = 0;  // fence character of a fenced code block
  std::string info;
  std::string heading_text;
};

class StructureCollector {
 public:
  StructureCollector(std::string_view text, std::vector<Block>& blocks)
      : text_(text), blocks_(blocks) {}

  int EnterBlock(MD_BLOCKTYPE type, void* detail) {
    if (capture_depth_ > 0) {
      ++capture_depth_;
      return 0;
    }
    switch (type) {
      case MD_BLOCK_H:
        Start(BlockKind::kHeading, static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level));
        capture_depth_ = 1;
        break;
      case MD_BLOCK_CODE: {
        auto* code = static_cast<MD_BLOCK_CODE_DETAIL*>(detail);
        Start(BlockKind::kCode, 0);
        open_->fence = code->fence_char;
        if (code->lang.text != nullptr) open_->info.assign(code->lang.text, code->lang.size);
        capture_depth_ = 1;
        break;
      }
      case MD_BLOCK_TABLE:
        Start(BlockKind::kTable, 0);
        capture_depth_ = 1;
        break;
      case MD_BLOCK_QUOTE:
        Start(BlockKind::kQuote, 0);
        capture_depth_ = 1;
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        Flush();  // the text of the item that holds this list ends here
        ++list_depth_;
        break;
      case MD_BLOCK_LI:
        Start(BlockKind::kListItem, std::max(list_depth_ - 1, 0));
        break;
      case MD_BLOCK_P:
        if (!open_ || open_->kind != BlockKind::kListItem) Start(BlockKind::kParagraph, 0);
        break;
      case MD_BLOCK_HTML:
        Start(BlockKind::kParagraph, 0);
        break;
      default:
        break;
    }
    return 0;
  }

  int LeaveBlock(MD_BLOCKTYPE type) {
    if (capture_depth_ > 0) {
      if (--capture_depth_ == 0) Flush();
      return 0;
    }
    switch (type) {
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        list_depth_ = std::max(list_depth_ - 1, 0);
        break;
      case MD_BLOCK_LI:
      case MD_BLOCK_HTML:
        Flush();
        break;
      case MD_BLOCK_P:
        if (open_ && open_->kind == BlockKind::kParagraph) Flush();
        break;
      default:
        break;
    }
    return 0;
  }

  int Text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size) {
    if (!open_) return 0;
    // md4c passes pointers into the source, except for synthesised text (line breaks in
    // code, NUL replacements), which is recognised by lying outside it.
    if (data >= text_.data() && data + size <= text_.data() + text_.size()) {
      const size_t begin = static_cast<size_t>(data - text_.data());
      if (!open_->has_text || begin < open_->min) open_->min = begin;
      if (!open_->has_text || begin + size > open_->max) open_->max = begin + size;
      open_->has_text = true;
    }
    if (open_->kind == BlockKind::kHeading) {
      if (type == MD_TEXT_SOFTBR || type == MD_TEXT_BR) {
        open_->heading_text.push_back(' ');
      } else if (type != MD_TEXT_NULLCHAR) {
        open_->heading_text.append(data, size);
      }
    }
    return 0;
  }

  const std::string& first_h1() const { return first_h1_; }

 private:
  void Start(BlockKind kind, int level) {
    Flush();
    open_.emplace();
    open_->kind = kind;
    open_->level = level;
  }

  size_t LineStart(size_t pos) const {
    const size_t newline = pos == 0 ? std::string_view::npos : text_.rfind('\n', pos - 1);
    return newline == std::string_view::npos ? 0 : newline + 1;
  }
  size_t LineEnd(size_t pos) const {
    const size_t newline = text_.find('\n', pos);
    return newline == std::string_view::npos ? text_.size() : newline;
  }
  // Returns the line after the one ending at `end`, trimmed of spaces.
  std::string_view NextLine(size_t end) const {
    if (end >= text_.size()) return {};
    std::string_view line = text_.substr(end + 1, LineEnd(end + 1) - end - 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    return line;
  }

  static bool IsBlank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
  }
  // Returns the start of the opening fence line above the code line starting at `begin`:
  // the first line above that is not blank, when it holds the fence character.
  size_t FenceLineBefore(size_t begin, char fence) const {
    size_t line = begin;
    while (line > 0) {
      line = LineStart(line - 1);
      const std::string_view text = text_.substr(line, LineEnd(line) - line);
      if (IsBlank(text)) continue;
      return text.find(fence) != std::string_view::npos ? line : begin;
    }
    return begin;
  }
  // Returns the end of the closing fence line below the code line ending at `end`, or `end`
  // when the block is not closed.
  size_t FenceLineAfter(size_t end, char fence) const {
    size_t line_end = end;
    while (line_end < text_.size()) {
      const std::string_view next = NextLine(line_end);
      line_end = LineEnd(line_end + 1);
      if (next.empty()) continue;
      return next.front() == fence ? line_end : end;
    }
    return end;
  }

  void Flush() {
    if (!open_) return;
    OpenBlock open = std::move(*open_);
    open_.reset();
    if (!open.has_text) return;
    size_t begin = LineStart(open.min);
    size_t end = LineEnd(open.max > open.min ? open.max - 1 : open.min);
    if (open.kind == BlockKind::kCode && open.fence != 0) {
      // The fences, past any blank lines of code between them and the text md4c reported.
      begin = FenceLineBefore(begin, open.fence);
      end = FenceLineAfter(end, open.fence);
    } else if (open.kind == BlockKind::kHeading) {
      // A setext heading's underline belongs to it.
      const std::string_view next = NextLine(end);
      if (!next.empty() && next.find_first_not_of(next.front() == '=' ? "=" : "-") ==
                               std::string_view::npos &&
          (next.front() == '=' || next.front() == '-')) {
        end = LineEnd(end + 1);
      }
    }
    // Blocks never overlap, whatever md4c reports for lazy continuation lines.
    if (!blocks_.empty() && begin < blocks_.back().end) begin = blocks_.back().end;
    while (begin < end && (text_[begin] == '\n')) ++begin;
    if (end <= begin) return;

    Block block;
    block.kind = open.kind;
    block.level = open.level;
    block.begin = begin;
    block.end = end;
    block.info = std::move(open.info);
    if (open.kind == BlockKind::kHeading) {
      std::string plain = CollapseWhitespace(open.heading_text);
      if (open.level == 1 && first_h1_.empty()) first_h1_ = plain;
      block.heading_path = headings_.Enter(open.level, std::move(plain));
    } else {
      block.heading_path = headings_.current();
    }
    blocks_.push_back(std::move(block));
  }

  std::string_view text_;
  std::vector<Block>& blocks_;
  std::optional<OpenBlock> open_;
  int capture_depth_ = 0;  // > 0 inside a block kept whole (heading, code, table, quote)
  int list_depth_ = 0;
  HeadingPath headings_;
  std::string first_h1_;
};

Status ReadMarkdown(std::string_view text, const DocumentOptions& document_options,
                    Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  // Code is data: line endings first (so that code is found on LF text), then everything
  // else outside the code.
  const std::string lf = normalize::Normalize(text, normalize::CodeOptions(options));
  const std::string normalized =
      normalize::NormalizeExcept(lf, FindMarkdownCode(lf), options);
  std::string_view body = TrimBlankEnds(normalized);
  std::string front_matter_title = TakeFrontMatter(body);
  doc.text = std::string(TrimBlankEnds(body));
  doc.blocks.clear();

  StructureCollector collector(doc.text, doc.blocks);
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
  parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* user) {
    return static_cast<StructureCollector*>(user)->EnterBlock(type, detail);
  };
  parser.leave_block = [](MD_BLOCKTYPE type, void*, void* user) {
    return static_cast<StructureCollector*>(user)->LeaveBlock(type);
  };
  parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
  parser.text = [](MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* user) {
    return static_cast<StructureCollector*>(user)->Text(type, data, size);
  };
  if (md_parse(doc.text.data(), static_cast<MD_SIZE>(doc.text.size()), &parser, &collector) != 0) {
    return InternalError("md4c could not parse the document (out of memory?)");
  }
  doc.title = !front_matter_title.empty() ? front_matter_title : collector.first_h1();
  return Status::Ok();
}

}  // namespace

DocumentReader MarkdownReader() {
  DocumentReader reader;
  reader.name = "markdown";
  reader.extensions = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"};
  reader.description = "Markdown (CommonMark + GitHub tables); structure kept as blocks";
  reader.read = &ReadMarkdown;
  return reader;
}

}  // namespace tunepack::ingest::internal
