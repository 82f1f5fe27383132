#include "tunepack/io/path_text.h"

#include "tunepack/core/utf8.h"

namespace tunepack::io {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Appends `text` to `out` with each byte of an invalid UTF-8 sequence as `escape` + "xNN".
void AppendReplacingInvalid(std::string_view text, std::string_view escape, std::string& out) {
  while (!text.empty()) {
    const size_t bad = FindInvalidUtf8(text);
    out.append(text.substr(0, bad));
    if (bad == text.size()) break;
    const unsigned char byte = static_cast<unsigned char>(text[bad]);
    out.append(escape);
    out.push_back('x');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
    text.remove_prefix(bad + 1);
  }
}

}  // namespace

std::string DisplayPath(std::string_view bytes) {
  if (IsValidUtf8(bytes)) return std::string(bytes);
  std::string out;
  AppendReplacingInvalid(bytes, "\\", out);
  return out;
}

std::string HexBytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
  }
  return out;
}

std::string JsonTextWithSafeUtf8(std::string_view json) {
  if (IsValidUtf8(json)) return std::string(json);
  std::string out;
  AppendReplacingInvalid(json, "\\\\", out);
  return out;
}

}  // namespace tunepack::io
