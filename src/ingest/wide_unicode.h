// Recognising UTF-16 (and UTF-32 with a BOM) from a file's first bytes. Such text is full of
// NUL bytes, so type detection must not take it for binary, and record readers, which split
// at byte '\n', must read it converted to UTF-8. Internal to the ingest module.
#pragma once

#include <string_view>

namespace tunepack::ingest::internal {

// Returns true when `head` starts with a UTF-16 or UTF-32 byte-order mark, or has NULs in
// nearly every other byte and almost none in the others (mostly-ASCII UTF-16 without BOM).
bool LooksLikeWideUnicode(std::string_view head);

}  // namespace tunepack::ingest::internal
