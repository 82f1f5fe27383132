// Where a Markdown text holds code, so that normalisation can leave it alone. Internal to the
// ingest module.
#pragma once

#include <string_view>
#include <vector>

#include "tunepack/normalize/normalizer.h"

namespace tunepack::ingest::internal {

// Returns the code in `text` (LF line endings), in order: the lines between the fences of
// fenced code blocks (the fences themselves are markup), the lines of indented code blocks,
// and the content of code spans.
std::vector<normalize::TextRange> FindMarkdownCode(std::string_view text);

}  // namespace tunepack::ingest::internal
