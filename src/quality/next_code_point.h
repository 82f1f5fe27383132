// NextCodePoint: DecodeUtf8 with its ASCII case inline. The Gopher rules decode every
// character of a document several times (words, lines, strips); an out-of-line call per
// character was a fifth of scoring.
#pragma once

#include <cstddef>
#include <string_view>

#include "tunepack/core/utf8.h"

namespace tunepack::quality {

// Decodes the code point at text[pos] and advances pos, exactly as DecodeUtf8 does.
inline char32_t NextCodePoint(std::string_view text, size_t& pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) {
    ++pos;
    return byte;
  }
  return DecodeUtf8(text, pos);
}

}  // namespace tunepack::quality
