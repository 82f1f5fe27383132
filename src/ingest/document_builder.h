// DocumentBuilder: assembles Document::text block by block, for readers that render their
// input (HTML, plain text) rather than index it. Internal to the ingest module.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/normalize/normalizer.h"

namespace tunepack::ingest::internal {

// HeadingPath: the stack of headings above the current position.
class HeadingPath {
 public:
  // Returns the path for a block at the current position: every open heading.
  const std::vector<std::string>& current() const { return path_; }
  // Enters a heading of `level` (1-6) called `text`; returns the path *above* it (its
  // parents), which is the heading block's own heading_path.
  std::vector<std::string> Enter(int level, std::string text);

 private:
  std::vector<int> levels_;
  std::vector<std::string> path_;
};

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const normalize::NormalizeOptions& normalize) : normalize_(normalize) {}

  // Appends a block whose Markdown source is `markdown`: normalises it, trims blank lines
  // and trailing whitespace at its ends, and separates it from the previous block by one
  // blank line. An empty block is dropped. For a heading, `heading_text` is its plain text
  // (kept in heading paths). `tight`: a list item that follows another list item is
  // separated by a single newline, keeping the Markdown list tight. Returns false when the
  // block was dropped.
  bool Add(BlockKind kind, std::string_view markdown, int level = 0, std::string info = {},
           std::string heading_text = {}, bool tight = false);

  // Records that the last block added lies on pages `first` to `last` (1-based), for paged
  // formats (PDF). Does nothing when no block was added.
  void SetLastBlockPages(uint32_t first, uint32_t last) {
    if (blocks_.empty()) return;
    blocks_.back().first_page = first;
    blocks_.back().last_page = last;
  }

  // Returns the plain text of the first level-1 heading added, or empty.
  const std::string& first_h1() const { return first_h1_; }
  bool empty() const { return blocks_.empty(); }

  // Moves the text and blocks into `doc`.
  void Finish(Document& doc);

 private:
  normalize::NormalizeOptions normalize_;
  std::string text_;
  std::vector<Block> blocks_;
  HeadingPath headings_;
  std::string first_h1_;
};

// Returns `text` without leading blank lines and without trailing whitespace.
std::string_view TrimBlankEnds(std::string_view text);

// Returns `text` with runs of whitespace (spaces, tabs, newlines) collapsed to one space and
// no whitespace at either end: how a heading's text is kept in heading paths.
std::string CollapseWhitespace(std::string_view text);

}  // namespace tunepack::ingest::internal
