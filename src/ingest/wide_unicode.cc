#include "ingest/wide_unicode.h"

#include <algorithm>
#include <cstddef>

namespace tunepack::ingest::internal {

bool LooksLikeWideUnicode(std::string_view head) {
  // UTF-16LE's BOM (FF FE) also starts UTF-32LE's (FF FE 00 00).
  if (head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') ||
                           (head[0] == '\xFE' && head[1] == '\xFF'))) {
    return true;
  }
  if (head.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4)) return true;
  const size_t pairs = head.size() / 2;
  if (pairs < 4) return false;
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i + 1 < head.size(); i += 2) {
    even_nul += head[i] == '\0';
    odd_nul += head[i + 1] == '\0';
  }
  const size_t most = std::max(even_nul, odd_nul), least = std::min(even_nul, odd_nul);
  return most * 10 >= pairs * 4 && least * 20 <= pairs;
}

}  // namespace tunepack::ingest::internal
