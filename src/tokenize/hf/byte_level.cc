#include "tokenize/hf/byte_level.h"

#include <array>

#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

struct Alphabet {
  std::array<char32_t, 256> char_of_byte{};
  std::array<int16_t, 0x144> byte_of_char{};  // every character of the alphabet is < U+0144
};

const Alphabet& GetAlphabet() {
  static const Alphabet alphabet = [] {
    Alphabet a;
    a.byte_of_char.fill(-1);
    char32_t next = 0x100;
    for (int byte = 0; byte < 256; ++byte) {
      const bool printable = (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) ||
                             (byte >= 0xAE && byte <= 0xFF);
      a.char_of_byte[byte] = printable ? static_cast<char32_t>(byte) : next++;
      a.byte_of_char[a.char_of_byte[byte]] = static_cast<int16_t>(byte);
    }
    return a;
  }();
  return alphabet;
}

}  // namespace

bool ByteLevelToBytes(std::string_view text, std::string* out) {
  const Alphabet& alphabet = GetAlphabet();
  for (size_t pos = 0; pos < text.size();) {
    const CodePoint cp = DecodeAt(text, pos);
    if (cp.value >= alphabet.byte_of_char.size() || alphabet.byte_of_char[cp.value] < 0) return false;
    out->push_back(static_cast<char>(alphabet.byte_of_char[cp.value]));
    pos += cp.length;
  }
  return true;
}

std::string BytesToByteLevel(std::string_view bytes) {
  const Alphabet& alphabet = GetAlphabet();
  std::string out;
  for (const char byte : bytes) {
    const char32_t cp = alphabet.char_of_byte[static_cast<unsigned char>(byte)];
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

}  // namespace tunepack::tokenize::hf
