// Lines and paragraphs of a text as byte ranges, for the steps that compare them (repeated
// line removal, the Gopher repetition rules).
#pragma once

#include <cstddef>
#include <string_view>

namespace tunepack {

// ElementBreak: where a text element ends.
struct ElementBreak {
  bool paragraphs = false;  ///< false: at each newline; true: at a blank line
  bool blank_may_hold_spaces = false;  ///< a line of spaces, tabs and CRs is blank too
};

// Returns the end of the element that starts at `pos`: the newline that ends it (a line, or
// the last line of a paragraph), or text.size().
size_t ElementEnd(std::string_view text, size_t pos, ElementBreak rule);

}  // namespace tunepack
