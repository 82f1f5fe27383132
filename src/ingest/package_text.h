// Helpers shared by the package readers (DOCX, ODT, PPTX, EPUB): Markdown for tables and
// headings, and the core metadata every package may carry. Internal to the ingest module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"

namespace tunepack::ingest::internal {

// Renders `rows` (the first one the header) as a Markdown pipe table: '|' in cells is
// escaped, newlines become spaces, short rows are padded. Empty when there are no cells.
std::string MarkdownTable(const std::vector<std::vector<std::string>>& rows);

// Returns "#"*level + " " + text, level clamped to 1-6.
std::string MarkdownHeading(int level, std::string_view text);

// Sets metadata key `key` to `value` when `value` has non-blank text (trimmed).
void SetIfPresent(Document& doc, std::string_view key, std::string_view value);

// Sets metadata `key` to a JSON array of the distinct non-blank `texts` (each trimmed),
// in the order first seen; sets nothing when there are none. Running headers and footers
// are kept this way: once per document, outside the body text.
void SetTextList(Document& doc, std::string_view key, const std::vector<std::string>& texts);

}  // namespace tunepack::ingest::internal
