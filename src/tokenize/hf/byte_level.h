// The GPT-2 byte alphabet of byte-level BPE vocabularies: each byte is written as one
// printable character (bytes 0x21-0x7E, 0xA1-0xAC and 0xAE-0xFF as themselves, the others as
// U+0100 onwards, so a space is U+0120 'Ġ'). We map vocabularies back to raw bytes at load
// time and encode input bytes directly.
#pragma once

#include <string>
#include <string_view>

namespace tunepack::tokenize::hf {

// Appends the raw bytes of `text`, written in the byte alphabet, to `out`; returns false
// when `text` has a character outside the alphabet.
bool ByteLevelToBytes(std::string_view text, std::string* out);

// Returns `bytes` written in the byte alphabet.
std::string BytesToByteLevel(std::string_view bytes);

}  // namespace tunepack::tokenize::hf
