// Lines and paragraphs of a text as byte ranges, for the steps that compare them: repeated
// line removal (ElementEnd) and the Gopher repetition rules (SplitAtNewlineRuns, the
// re.split of datatrove's filters, whose counts must match theirs).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace tunepack {

// ElementBreak: where a text element ends.
struct ElementBreak {
  bool paragraphs = false;  ///< false: at each newline; true: at a blank line
  bool blank_may_hold_spaces = false;  ///< a line of spaces, tabs and CRs is blank too
};

// Returns the end of the element that starts at `pos`: the newline that ends it (a line, or
// the last line of a paragraph), or text.size().
size_t ElementEnd(std::string_view text, size_t pos, ElementBreak rule);

// Splits `text` at every run of `min_run` or more newlines (Python's
// re.split("\n{min_run,}", text)): the pieces between, empty ones included. min_run 1 gives
// the lines of the Gopher rules, 2 their paragraphs.
std::vector<std::string_view> SplitAtNewlineRuns(std::string_view text, size_t min_run);

}  // namespace tunepack
