#include "tunepack/core/utf8.h"

#include <cstring>

namespace tunepack {
namespace {

// Returns the length of the valid UTF-8 sequence at text[pos], or 0 when the bytes there do
// not start one. Follows Unicode's well-formed byte sequence table (Table 3-7).
size_t ValidSequenceLength(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const size_t left = text.size() - pos;
  const unsigned char b0 = s[0];
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < left && s[i] >= lo && s[i] <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Returns the length of the maximal invalid subpart at text[pos]: the longest prefix of a
// well-formed sequence, at least one byte. Replacing each with one U+FFFD matches what
// browsers and Python's "replace" error handler do.
size_t InvalidSubpartLength(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const size_t left = text.size() - pos;
  const unsigned char b0 = s[0];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t need = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) need = 1;
  else if (b0 == 0xE0) { need = 2; lo = 0xA0; }
  else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) need = 2;
  else if (b0 == 0xED) { need = 2; hi = 0x9F; }
  else if (b0 == 0xF0) { need = 3; lo = 0x90; }
  else if (b0 >= 0xF1 && b0 <= 0xF3) need = 3;
  else if (b0 == 0xF4) { need = 3; hi = 0x8F; }
  else return 1;
  size_t len = 1;
  for (size_t i = 1; i <= need && i < left; ++i) {
    const unsigned char b = s[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) break;
    ++len;
  }
  return len;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  const size_t n = text.size();
  while (pos < n) {
    // Skip ASCII eight bytes at a time: most text is mostly ASCII.
    while (pos + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, text.data() + pos, 8);
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= n) break;
    const size_t len = ValidSequenceLength(text, pos);
    if (len == 0) return pos;
    pos += len;
  }
  return n;
}

Result<RepairReport> RepairUtf8(std::string_view text, InvalidUtf8Policy policy,
                                std::string* out) {
  RepairReport report;
  size_t first_bad = FindInvalidUtf8(text);
  if (first_bad == text.size()) {
    out->assign(text);
    return report;
  }
  report.first_invalid = first_bad;
  if (policy == InvalidUtf8Policy::kFail) {
    return DataLossError("invalid UTF-8 at byte " + std::to_string(first_bad));
  }
  out->clear();
  out->reserve(text.size() + 16);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t bad = pos + FindInvalidUtf8(text.substr(pos));
    out->append(text.data() + pos, bad - pos);
    if (bad == text.size()) break;
    ++report.invalid_sequences;
    if (policy == InvalidUtf8Policy::kReplace) out->append("\xEF\xBF\xBD");
    pos = bad + InvalidSubpartLength(text, bad);
  }
  return report;
}

char32_t DecodeUtf8(std::string_view text, size_t& pos) {
  const size_t len = ValidSequenceLength(text, pos);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  switch (len) {
    case 1: pos += 1; return s[0];
    case 2: pos += 2; return ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: pos += 3; return ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    case 4:
      pos += 4;
      return ((s[0] & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    default: pos += 1; return 0xFFFD;
  }
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TextPosition PositionOf(std::string_view text, size_t offset) {
  TextPosition position;
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++position.column;  // count code points: continuation bytes do not advance
    }
  }
  return position;
}

}  // namespace tunepack
