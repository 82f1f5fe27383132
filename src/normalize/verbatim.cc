// Normalisation that leaves code alone: see "Code is data" in normalizer.h.
#include <algorithm>

#include "tunepack/normalize/normalizer.h"

namespace tunepack::normalize {

NormalizeOptions CodeOptions(const NormalizeOptions& options) {
  NormalizeOptions code = NormalizeOptions::None();
  code.newlines = options.newlines;
  return code;
}

NormalizeOptions CharacterOptions(const NormalizeOptions& options) {
  NormalizeOptions characters = NormalizeOptions::None();
  characters.form = options.form;
  characters.control_chars = options.control_chars;
  return characters;
}

NormalizeOptions LineOptions(const NormalizeOptions& options) {
  NormalizeOptions lines = NormalizeOptions::None();
  lines.newlines = options.newlines;
  lines.trailing_spaces = options.trailing_spaces;
  lines.blank_lines = options.blank_lines;
  return lines;
}

std::string NormalizeExcept(std::string_view text, const std::vector<TextRange>& verbatim,
                            const NormalizeOptions& options) {
  if (verbatim.empty()) return Normalize(text, options);
  const NormalizeOptions code = CodeOptions(options);
  // A piece that stops mid-line (before inline code) has no line end to trim: its spaces
  // run on into the code ("use `x`").
  NormalizeOptions line_goes_on = options;
  line_goes_on.trailing_spaces = false;
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (const TextRange& range : verbatim) {
    const size_t begin = std::clamp(range.begin, pos, text.size());
    const size_t end = std::clamp(range.end, begin, text.size());
    const std::string_view before = text.substr(pos, begin - pos);
    if (begin == 0 || text[begin - 1] == '\n') {
      out += Normalize(before, options);
    } else {
      const size_t last_line = before.rfind('\n') + 1;  // 0 when there is no '\n'
      out += Normalize(before.substr(0, last_line), options);
      out += Normalize(before.substr(last_line), line_goes_on);
    }
    out += Normalize(text.substr(begin, end - begin), code);
    pos = end;
    // The line break that ends a range's last line is that line's, not an empty line of
    // the text after (which blank-line collapsing would count).
    if (end > 0 && text[end - 1] != '\n' && pos < text.size() && text[pos] == '\n') {
      out.push_back('\n');
      ++pos;
    }
  }
  out += Normalize(text.substr(pos), options);
  return out;
}

}  // namespace tunepack::normalize
