// Removal of repeated lines or paragraphs inside one document: boilerplate such as page
// headers and footers, navigation, cookie notices, repeated signatures.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tunepack/core/document.h"

namespace tunepack::dedup {

struct RepeatedLinesOptions {
  bool paragraphs = false;  ///< compare paragraphs (split at blank lines) instead of lines
  // Lines shorter than this (after trimming) are never removed: "}", "---", "Yes." and
  // table separators repeat legitimately.
  size_t min_chars = 20;
};

struct RepeatedLinesReport {
  size_t removed = 0;        ///< lines or paragraphs removed
  size_t removed_bytes = 0;
};

// Writes `text` without the second and later occurrences of each line (or paragraph) to
// `out`. Lines compare after trimming white space at both ends; a removed line takes its
// line break with it, so no blank lines are left behind.
RepeatedLinesReport RemoveRepeatedLines(std::string_view text, const RepeatedLinesOptions& options,
                                        std::string* out);

// Same on a Document, moving its block offsets with the text; blocks that lose all their
// text are removed.
RepeatedLinesReport RemoveRepeatedLines(Document* document, const RepeatedLinesOptions& options);

}  // namespace tunepack::dedup
