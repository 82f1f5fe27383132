// Helpers for the plain-file formats (text, markdown, chatml as a file): cutting a file at
// a separator with line numbers, and refusing text that would make the cut ambiguous.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "tunepack/core/status.h"

namespace tunepack::format::internal {

// LineCounter: 1-based line numbers of byte offsets, for offsets asked in increasing order
// (each call counts only the newlines since the previous one).
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  // Returns the line of `offset`; `offset` must not be less than the previous call's.
  uint64_t LineAt(size_t offset);

 private:
  std::string_view text_;
  size_t counted_to_ = 0;
  uint64_t line_ = 1;
};

// Calls `part(text, line)` for each part of `file_text` between occurrences of `separator`,
// in order, with the 1-based line where the part starts; stops at the first error and
// returns it prefixed with "line N". An empty file has no parts.
Status ForEachPart(std::string_view file_text, std::string_view separator,
                   const std::function<Status(std::string_view part, uint64_t line)>& part);

// Returns InvalidArgument "<field>: contains <marker>; <why>" when `text` contains `marker`.
Status RefuseMarker(std::string_view text, std::string_view marker, std::string_view field,
                    std::string_view why);

}  // namespace tunepack::format::internal
