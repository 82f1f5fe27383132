// Decoding through glibc's iconv, for the legacy charsets ICU has no converter for (Johab,
// EUC-JIS-2004, Shift_JIS-2004). Internal to the ingest module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tunepack/core/status.h"
#include "tunepack/core/utf8.h"

namespace tunepack::ingest::internal {

// IconvDecoded: the UTF-8 text and where the first invalid sequence was.
struct IconvDecoded {
  std::string text;
  size_t invalid = 0;
  size_t first_invalid_byte = 0;  ///< offset in the input
  size_t first_invalid_text = 0;  ///< offset in `text` where it was met
};

// Converts `bytes` from iconv charset `charset`. Bytes below 0x80 outside a multi-byte
// character are ASCII whatever glibc's table says (it maps 0x5C to a yen or won sign in
// these charsets, which no file written on a PC means). Invalid sequences count and, under
// kReplace, become U+FFFD one byte at a time. NotFound when iconv has no such charset.
Status ConvertWithIconv(std::string_view bytes, const char* charset, InvalidUtf8Policy policy,
                        IconvDecoded& decoded);

}  // namespace tunepack::ingest::internal
