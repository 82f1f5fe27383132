// Fuzzes NfkcText, the segment-wise NFKC with an offset map that claude-legacy relies on.
// A differential check (simdjson's fuzz_ndjson.cpp idea): on valid UTF-8 the segment-wise
// result must equal utf8proc's NFKC of the whole text, which is what proves the segment
// boundaries safe. On any bytes, the offset map must be monotone and stay inside the input.
#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokenize/claude/nfkc_text.h"
#include "fuzz_check.h"

namespace {

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t length =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                         static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (length <= 0) return false;
    pos += static_cast<size_t>(length);
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  tunepack::tokenize::NfkcText text;
  text.Assign(input);
  const std::string_view normalized = text.text();

  // utf8proc 2.8's whole-text NFKC wrongly composes an LV syllable with U+11A7 (not a
  // trailing consonant) and drops it; NfkcText keeps it, as Unicode and ICU do. Inputs
  // holding U+11A7 skip the comparison.
  if (IsValidUtf8(input) && input.find("\xE1\x86\xA7") == std::string_view::npos) {
    utf8proc_uint8_t* whole = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        data, static_cast<utf8proc_ssize_t>(size), &whole,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
    Check(length >= 0);
    Check(normalized == std::string_view(reinterpret_cast<const char*>(whole),
                                         static_cast<size_t>(length)));
    std::free(whole);
  }

  uint32_t previous_begin = 0;
  uint32_t previous_end = 0;
  for (uint32_t pos = 0; pos < normalized.size(); ++pos) {
    const uint32_t begin = text.OriginalBegin(pos);
    const uint32_t end = text.OriginalEnd(pos + 1);
    Check(begin < end && end <= size);
    Check(begin >= previous_begin && end >= previous_end);
    previous_begin = begin;
    previous_end = end;
  }
  Check(normalized.empty() || text.OriginalEnd(static_cast<uint32_t>(normalized.size())) == size);
  return 0;
}
