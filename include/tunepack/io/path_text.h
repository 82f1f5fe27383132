// File names as text. A POSIX file name is bytes; JSON, the ledger and messages need UTF-8.
// DisplayPath keeps a valid UTF-8 name as it is and writes each byte of an invalid sequence
// as the four characters \xNN (Python's "backslashreplace"), so the name stays readable and
// unambiguous in practice; HexBytes gives the exact bytes where they must be recoverable
// (the manifest's "path_hex").
#pragma once

#include <string>
#include <string_view>

namespace tunepack::io {

// Returns `bytes` as valid UTF-8: invalid bytes become "\xNN" (lower-case hex).
std::string DisplayPath(std::string_view bytes);

// Returns `bytes` as lower-case hexadecimal, two digits per byte.
std::string HexBytes(std::string_view bytes);

// Returns JSON text `json` with every byte of an invalid UTF-8 sequence written as "\\xNN"
// (inside a string, that decodes to DisplayPath's "\xNN"). Valid JSON text with raw bytes
// in its strings becomes valid UTF-8 JSON; valid UTF-8 text is returned unchanged.
std::string JsonTextWithSafeUtf8(std::string_view json);

}  // namespace tunepack::io
