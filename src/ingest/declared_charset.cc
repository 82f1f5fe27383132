// Finding the charset a document declares about itself: <meta charset>, the http-equiv
// Content-Type form, and the XML declaration. Like a browser's prescan (WHATWG HTML
// "prescan a byte stream to determine its encoding") this only looks at the first bytes
// and only at ASCII, but it is a plain search rather than a tokenizer: a declaration
// inside a comment is believed too, which matters little in practice.
#include <cctype>
#include <string>

#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
namespace {

constexpr size_t kPrescanBytes = 4096;

bool IsCharsetNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == ':';
}

// Reads a charset value at text[pos]: optional spaces, '=', optional spaces and quote, then
// the name. Returns empty when there is no '='.
std::string ReadValue(std::string_view text, size_t pos) {
  auto skip_spaces = [&] {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  };
  skip_spaces();
  if (pos >= text.size() || text[pos] != '=') return {};
  ++pos;
  skip_spaces();
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) ++pos;
  const size_t begin = pos;
  while (pos < text.size() && IsCharsetNameChar(text[pos])) ++pos;
  return std::string(text.substr(begin, pos - begin));
}

}  // namespace

std::string FindDeclaredCharset(std::string_view bytes) {
  std::string head(bytes.substr(0, kPrescanBytes));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string_view text = head;

  if (text.substr(0, 5) == "<?xml") {
    const size_t end = text.find("?>");
    const std::string_view decl = text.substr(0, end);
    const size_t at = decl.find("encoding");
    if (at != std::string_view::npos) {
      std::string value = ReadValue(decl, at + 8);
      if (!value.empty()) return value;
    }
  }
  size_t pos = 0;
  while ((pos = text.find("<meta", pos)) != std::string_view::npos) {
    const size_t end = text.find('>', pos);
    const std::string_view tag = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    // Covers both <meta charset="x"> and <meta http-equiv=... content="text/html; charset=x">.
    size_t at = 0;
    while ((at = tag.find("charset", at)) != std::string_view::npos) {
      std::string value = ReadValue(tag, at + 7);
      if (!value.empty()) return value;
      at += 7;
    }
    if (end == std::string_view::npos) break;
    pos = end;
  }
  return {};
}

}  // namespace tunepack::ingest
