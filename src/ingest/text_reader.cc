// Plain text: the normalised text as is, with one paragraph block per run of non-blank
// lines. Plain text has no markup for a title, so none is guessed.
#include "ingest/document_builder.h"
#include "ingest/document_readers.h"

namespace tunepack::ingest::internal {
namespace {

Status ReadText(std::string_view text, const DocumentOptions& document_options,
                Document& doc) {
  const normalize::NormalizeOptions& options = document_options.normalize;
  const std::string normalized = normalize::Normalize(text, options);
  doc.text = std::string(TrimBlankEnds(normalized));
  doc.blocks.clear();
  const std::string_view body = doc.text;
  size_t pos = 0;
  while (pos < body.size()) {
    // A paragraph ends at the first line that is empty or only whitespace.
    size_t end = pos;
    while (end < body.size()) {
      size_t eol = body.find('\n', end);
      if (eol == std::string_view::npos) eol = body.size();
      const std::string_view line = body.substr(end, eol - end);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) break;
      end = eol + 1;
    }
    size_t block_end = std::min(end, body.size());
    while (block_end > pos && (body[block_end - 1] == '\n' || body[block_end - 1] == '\r')) {
      --block_end;
    }
    if (block_end > pos) {
      Block block;
      block.kind = BlockKind::kParagraph;
      block.begin = pos;
      block.end = block_end;
      doc.blocks.push_back(std::move(block));
    }
    // Skip the blank lines before the next paragraph.
    pos = end;
    while (pos < body.size()) {
      size_t eol = body.find('\n', pos);
      if (eol == std::string_view::npos) eol = body.size();
      if (body.substr(pos, eol - pos).find_first_not_of(" \t\r") != std::string_view::npos) break;
      pos = eol + 1;
    }
  }
  return Status::Ok();
}

}  // namespace

DocumentReader TextReader() {
  DocumentReader reader;
  reader.name = "text";
  reader.extensions = {".txt", ".text", ".rst", ".log"};
  reader.description = "plain text; paragraphs are separated by blank lines";
  reader.read = &ReadText;
  return reader;
}

}  // namespace tunepack::ingest::internal
