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

std::vector<std::string_view> SplitAtNewlineRuns(std::string_view text, size_t min_run) {
  std::vector<std::string_view> pieces;
  size_t begin = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] != '\n') {
      ++pos;
      continue;
    }
    size_t run = pos;
    while (run < text.size() && text[run] == '\n') ++run;
    if (run - pos >= min_run) {
      pieces.push_back(text.substr(begin, pos - begin));
      begin = run;
    }
    pos = run;
  }
  pieces.push_back(text.substr(begin));
  return pieces;
}

}  // namespace tunepack
