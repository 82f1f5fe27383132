// The 7-bit legacy encodings (ISO-2022-JP/KR/CN and HZ) are valid ASCII, so the UTF-8
// check would take them as they are; they are told apart by their escape sequences before
// that check. Internal to the ingest module.
#pragma once

#include <string>
#include <string_view>

namespace tunepack::ingest::internal {

// Returns the ICU charset `bytes` is written in when it is 7-bit and switches character
// sets with ISO-2022 escape sequences ("ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-KR",
// "ISO-2022-CN") or HZ's "~{ ... ~}" shifts ("HZ"); empty otherwise. HZ is only answered
// when the shifted text decodes cleanly to common Chinese characters, since "~{" also
// occurs in shell scripts and TeX.
std::string DetectEscapeEncoding(std::string_view bytes);

}  // namespace tunepack::ingest::internal
