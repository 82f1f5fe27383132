#include "tunepack/core/text_elements.h"

namespace tunepack {

size_t ElementEnd(std::string_view text, size_t pos, ElementBreak rule) {
  size_t end = pos;
  while (true) {
    end = text.find('\n', end);
    if (end == std::string_view::npos) return text.size();
    if (!rule.paragraphs) return end;
    size_t next = end + 1;
    if (rule.blank_may_hold_spaces) {
      while (next < text.size() && (text[next] == ' ' || text[next] == '\t' || text[next] == '\r')) ++next;
    }
    if (next < text.size() && text[next] == '\n') return end;
    end = next;
  }
}

}  // namespace tunepack
