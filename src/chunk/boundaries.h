// Where a document may be split, and how strongly: the structural side of the chunker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"

namespace tunepack::chunk::internal {

// Boundary levels, strongest first. A chunk ends at the strongest level available inside
// its token budget (the farthest boundary of that level).
enum Level : uint8_t {
  kSection = 0,   ///< before a heading
  kBlock = 1,     ///< before a paragraph, code block, table, quote, or the first list item
  kItem = 2,      ///< before a list item that follows another
  kSentence = 3,  ///< before a sentence or a line (rows of an oversized table or code block)
  kWord = 4,      ///< before a word
};

struct Boundary {
  size_t pos = 0;
  Level level = kWord;
};

// TableSplit: an oversized table whose header rows are repeated in continuation chunks.
struct TableSplit {
  size_t begin = 0;       ///< the table block
  size_t end = 0;
  size_t header_end = 0;  ///< end of the header row and its |---| line (incl. the newline)
};

// CodeSplit: a fenced code block. When it is oversized (`split`), every chunk that starts
// inside its code reopens it with the opening fence line (info string included), and every
// chunk that ends inside closes it with a bare fence, so each piece is a code block of its
// own. Any chunk whose overlap starts inside its code reopens it the same way.
struct CodeSplit {
  size_t begin = 0;        ///< the code block
  size_t end = 0;
  size_t code_begin = 0;   ///< after the opening fence line (incl. its newline)
  size_t code_end = 0;     ///< the closing fence line's start, or `end` when unclosed
  std::string fence;       ///< the line that closes it: indentation and fence ("```")
  bool split = false;      ///< over the budget on its own: its lines are boundaries
};

struct Structure {
  std::vector<Boundary> boundaries;  ///< sorted by pos, one per pos, all in (0, size)
  std::vector<TableSplit> tables;
  std::vector<CodeSplit> code;       ///< every fenced code block, sorted by begin
};

// Finds the boundaries of `text` from `blocks` (sorted by begin). `oversized(block)` says
// whether a code block or table is over the budget on its own, which is the only case in
// which its lines become boundaries. Without blocks, text is split at blank lines (kBlock),
// then lines and sentences, then words.
Structure FindBoundaries(std::string_view text, const std::vector<Block>& blocks,
                         const std::function<bool(const Block&)>& oversized);

}  // namespace tunepack::chunk::internal
