// Chunker: token-bounded, structure-aware splitting of a Document into training chunks.
//
// A chunk ends at the strongest boundary that fits the token budget: the end of a section
// (before a heading), then of a block (paragraph, code block, table, quote), then of a list
// item, then of a sentence or line, then of a word, and only as a last resort at a token
// boundary inside a word. Code blocks and tables are never split unless the block alone is
// over the budget; then they split along their lines or rows, and a table's header row
// (with its |---| line) is repeated at the top of each continuation chunk.
//
// Guarantees (tested in chunker_test.cc, with a test tokenizer and with cl100k_base):
//   * Count(chunk.text) <= max_tokens under the chunker's tokenizer: each chunk is counted
//     exactly as it will be written, prefix and overlap included, never estimated.
//   * The bodies (text minus prefix, header and overlap) of a document's chunks concatenate
//     to Document::text, byte for byte: nothing is stripped, lost or reordered.
//   * Every chunk after the first starts with `overlap` tokens of the text before it
//     (fewer only when the previous body is shorter or the budget cannot hold them), at
//     every boundary kind: structural boundaries do not switch overlap off.
//   * The document is tokenized once; boundaries are found from token offsets, and each
//     chunk is counted once more (rarely twice): time is linear in the document size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/metadata.h"
#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::chunk {

// ChunkOptions: --max-tokens, --overlap, --min-tokens, --heading-context.
struct ChunkOptions {
  size_t max_tokens = 512;
  size_t overlap_tokens = 0;     ///< tokens of the previous chunk repeated at the start
  double overlap_fraction = 0;   ///< if > 0: overlap = floor(fraction x max_tokens) instead
  // --min-tokens: the last chunk of a document is not left with fewer new tokens than
  // this (the chunk before it ends earlier), and any smaller chunk merges into the
  // previous one when the merged chunk still fits. The budget always wins.
  size_t min_tokens = 0;
  bool heading_context = false;  ///< prefix "Title > H1 > H2\n\n", counted in the budget
  bool repeat_table_header = true;
};

// Chunk: one piece of a document, with the context that travels with it.
struct Chunk {
  size_t index = 0;       ///< position within the document, from 0
  std::string text;       ///< prefix + header + overlap + body + trailer: the text to train on
  size_t prefix_bytes = 0;   ///< heading context at the start of `text`
  size_t header_bytes = 0;   ///< repeated table header rows, or a split code block's
                             ///< opening fence line, after the prefix
  size_t overlap_bytes = 0;  ///< text before `begin` repeated from the previous chunk
  size_t trailer_bytes = 0;  ///< a closing code fence after the body (split code)
  size_t begin = 0;       ///< the body is Document::text[begin, end)
  size_t end = 0;
  size_t tokens = 0;      ///< token count of `text`
  size_t overlap_tokens = 0;  ///< document tokens in the overlap
  std::vector<std::string> heading_path;  ///< title and headings above `begin`, outermost first
  uint32_t first_page = 0;  ///< first and last page the body covers (PDF); 0 when unpaged
  uint32_t last_page = 0;

  // Returns the part of `text` that is new: Document::text[begin, end).
  std::string_view body() const {
    const size_t before = prefix_bytes + header_bytes + overlap_bytes;
    return std::string_view(text).substr(before, text.size() - before - trailer_bytes);
  }
};

// Chunker: immutable after Create; Split is const and thread-safe.
//
// Example:
//   TP_ASSIGN_OR_RETURN(auto tok, tokenize::LoadTokenizer("cl100k_base"));
//   TP_ASSIGN_OR_RETURN(Chunker chunker, Chunker::Create(tok, {.max_tokens = 512,
//                                                               .overlap_tokens = 64}));
//   TP_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, chunker.Split(document));
class Chunker {
 public:
  // Returns InvalidArgument when max_tokens is 0 or the overlap is not below max_tokens.
  static Result<Chunker> Create(std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                const ChunkOptions& options);

  // Splits `document`. Uses Document::blocks when present; a document without blocks is
  // split at blank lines, lines, sentences and words.
  Result<std::vector<Chunk>> Split(const Document& document) const;

  const ChunkOptions& options() const { return options_; }
  size_t overlap() const { return overlap_; }

 private:
  Chunker(std::shared_ptr<const tokenize::Tokenizer> tokenizer, const ChunkOptions& options,
          size_t overlap)
      : tokenizer_(std::move(tokenizer)), options_(options), overlap_(overlap) {}

  std::shared_ptr<const tokenize::Tokenizer> tokenizer_;
  ChunkOptions options_;
  size_t overlap_ = 0;
};

// Sets "chunk" in `metadata` to {"index", "begin", "end", "tokens", "headings": [...]}, the
// position of the chunk in its source, for the output record.
void SetChunkMetadata(const Chunk& chunk, Metadata* metadata);

}  // namespace tunepack::chunk
