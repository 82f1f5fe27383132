#include "template/pystr.h"

#include "template/limits.h"

#include <utf8proc.h>

#include <cstdio>

#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Python's printable: everything but categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other
// than the ASCII space (Objects/unicodectype.c, _PyUnicode_IsPrintable).
bool IsPyPrintable(char32_t cp) {
  if (cp == ' ') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS: return false;
    default: return true;
  }
}

bool IsCased(char32_t cp) {
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT;
}

bool IsLineBreak(char32_t cp) {
  switch (cp) {
    case '\n': case '\r': case 0x0B: case 0x0C: case 0x1C: case 0x1D: case 0x1E:
    case 0x85: case 0x2028: case 0x2029: return true;
    default: return false;
  }
}

template <typename F>
std::string MapCodePoints(std::string_view text, F&& f) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) f(DecodeUtf8(text, pos), out);
  return out;
}

void AppendUpper(char32_t cp, std::string& out) {
  if (cp == 0xDF) {  // ß has no single upper-case code point; Python gives "SS".
    out += "SS";
    return;
  }
  AppendUtf8(static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(cp))), out);
}
void AppendLower(char32_t cp, std::string& out) {
  AppendUtf8(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))), out);
}
void AppendTitle(char32_t cp, std::string& out) {
  if (cp == 0xDF) {
    out += "Ss";
    return;
  }
  AppendUtf8(static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(cp))), out);
}

bool InChars(char32_t cp, const std::string* chars) {
  if (chars == nullptr) return IsPySpace(cp);
  size_t pos = 0;
  while (pos < chars->size()) {
    if (DecodeUtf8(*chars, pos) == cp) return true;
  }
  return false;
}

template <typename Pred>
bool AllCodePoints(std::string_view text, Pred&& pred) {
  if (text.empty()) return false;
  size_t pos = 0;
  while (pos < text.size()) {
    if (!pred(DecodeUtf8(text, pos))) return false;
  }
  return true;
}

}  // namespace

bool IsPySpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

void AppendPyStringRepr(std::string_view text, std::string& out) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out.push_back(quote);
  size_t pos = 0;
  char buf[16];
  while (pos < text.size()) {
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp == static_cast<char32_t>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp < 0x80 || IsPyPrintable(cp)) {
      AppendUtf8(cp, out);
    } else if (cp < 0x100) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp < 0x10000) {
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      std::snprintf(buf, sizeof(buf), "\\U%08x", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  out.push_back(quote);
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::vector<size_t> CodePointOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

std::string_view PyStripView(std::string_view text, const std::string* chars, bool left, bool right) {
  size_t begin = 0;
  size_t end = text.size();
  if (left) {
    while (begin < end) {
      // An ASCII byte is its own code point: no decoding (most text starts and ends so).
      const unsigned char c = static_cast<unsigned char>(text[begin]);
      if (c < 0x80 && chars == nullptr) {
        if (!IsPySpace(c)) break;
        ++begin;
        continue;
      }
      size_t next = begin;
      if (!InChars(DecodeUtf8(text, next), chars)) break;
      begin = next;
    }
  }
  if (right) {
    while (end > begin) {
      const unsigned char c = static_cast<unsigned char>(text[end - 1]);
      if (c < 0x80 && chars == nullptr) {
        if (!IsPySpace(c)) break;
        --end;
        continue;
      }
      size_t start = end - 1;
      while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
      size_t probe = start;
      if (!InChars(DecodeUtf8(text, probe), chars)) break;
      end = start;
    }
  }
  return text.substr(begin, end - begin);
}

std::string PyStrip(std::string_view text, const std::string* chars, bool left, bool right) {
  return std::string(PyStripView(text, chars, left, right));
}

std::vector<std::string> PySplit(std::string_view text, const std::string* sep, int64_t maxsplit) {
  std::vector<std::string> parts;
  if (sep != nullptr) {
    size_t start = 0;
    while (maxsplit < 0 || static_cast<int64_t>(parts.size()) < maxsplit) {
      const size_t hit = text.find(*sep, start);
      if (hit == std::string_view::npos) break;
      parts.emplace_back(text.substr(start, hit - start));
      start = hit + sep->size();
    }
    parts.emplace_back(text.substr(start));
    return parts;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t word_start = pos;
    // Skip whitespace.
    while (pos < text.size()) {
      size_t next = pos;
      if (!IsPySpace(DecodeUtf8(text, next))) break;
      pos = next;
    }
    if (pos >= text.size()) break;
    word_start = pos;
    if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) >= maxsplit) {
      // The remainder, with trailing whitespace stripped.
      parts.push_back(PyStrip(text.substr(word_start), nullptr, false, true));
      return parts;
    }
    while (pos < text.size()) {
      size_t next = pos;
      if (IsPySpace(DecodeUtf8(text, next))) break;
      pos = next;
    }
    parts.emplace_back(text.substr(word_start, pos - word_start));
  }
  return parts;
}

std::vector<std::string> PyRSplit(std::string_view text, const std::string* sep, int64_t maxsplit) {
  if (maxsplit < 0) return PySplit(text, sep, maxsplit);
  std::vector<std::string> parts;
  if (sep != nullptr) {
    size_t end = text.size();
    while (static_cast<int64_t>(parts.size()) < maxsplit) {
      if (end < sep->size()) break;
      const size_t hit = text.rfind(*sep, end - sep->size());
      if (hit == std::string_view::npos) break;
      parts.emplace_back(text.substr(hit + sep->size(), end - hit - sep->size()));
      end = hit;
    }
    parts.emplace_back(text.substr(0, end));
    return {parts.rbegin(), parts.rend()};
  }
  // Whitespace rsplit with a limit: split words from the right (ASCII whitespace suffices
  // for the templates seen; non-ASCII spaces are handled by the code point scan below).
  std::vector<size_t> offs = CodePointOffsets(text);
  size_t idx = offs.size() - 1;  // index into offs of the current end
  auto is_space_at = [&](size_t i) {
    size_t p = offs[i];
    return IsPySpace(DecodeUtf8(text, p));
  };
  while (true) {
    while (idx > 0 && is_space_at(idx - 1)) --idx;
    if (idx == 0) break;
    if (static_cast<int64_t>(parts.size()) >= maxsplit) {
      parts.push_back(PyStrip(text.substr(0, offs[idx]), nullptr, true, false));
      break;
    }
    size_t word_end = idx;
    while (idx > 0 && !is_space_at(idx - 1)) --idx;
    parts.emplace_back(text.substr(offs[idx], offs[word_end] - offs[idx]));
  }
  return {parts.rbegin(), parts.rend()};
}

std::vector<std::string> PySplitLines(std::string_view text, bool keepends) {
  std::vector<std::string> lines;
  size_t start = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t cp_start = pos;
    const char32_t cp = DecodeUtf8(text, pos);
    if (!IsLineBreak(cp)) continue;
    size_t end_of_break = pos;
    if (cp == '\r' && pos < text.size() && text[pos] == '\n') end_of_break = ++pos;
    lines.emplace_back(text.substr(start, (keepends ? end_of_break : cp_start) - start));
    start = end_of_break;
  }
  if (start < text.size()) lines.emplace_back(text.substr(start));
  return lines;
}

std::string PyUpper(std::string_view text) {
  if (IsAscii(text)) {
    std::string out(text);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    return out;
  }
  return MapCodePoints(text, AppendUpper);
}

std::string PyLower(std::string_view text) {
  if (IsAscii(text)) {
    std::string out(text);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
  }
  return MapCodePoints(text, AppendLower);
}

std::string PyTitle(std::string_view text) {
  bool previous_cased = false;
  return MapCodePoints(text, [&](char32_t cp, std::string& out) {
    if (previous_cased) {
      AppendLower(cp, out);
    } else {
      AppendTitle(cp, out);
    }
    previous_cased = IsCased(cp);
  });
}

std::string PyCapitalize(std::string_view text) {
  bool first = true;
  return MapCodePoints(text, [&](char32_t cp, std::string& out) {
    if (first) {
      AppendTitle(cp, out);
    } else {
      AppendLower(cp, out);
    }
    first = false;
  });
}

std::string PyReplace(std::string_view text, std::string_view from, std::string_view to,
                      int64_t count) {
  std::string out;
  if (from.empty()) {
    // Python inserts `to` between code points and at both ends.
    std::vector<size_t> offs = CodePointOffsets(text);
    int64_t done = 0;
    for (size_t i = 0; i + 1 < offs.size(); ++i) {
      if (count < 0 || done < count) {
        out += to;
        ++done;
        CheckValueBytes(out.size());
      }
      out.append(text.substr(offs[i], offs[i + 1] - offs[i]));
    }
    if (count < 0 || done < count) out += to;
    return out;
  }
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    const size_t hit = text.find(from, start);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(start, hit - start));
    out.append(to);
    CheckValueBytes(out.size());
    start = hit + from.size();
    ++done;
  }
  out.append(text.substr(start));
  return out;
}

std::string PyCenter(std::string_view text, int64_t width, std::string_view fill) {
  const int64_t len = static_cast<int64_t>(CodePointCount(text));
  if (width <= len) return std::string(text);
  const int64_t marg = width - len;
  CheckValueBytes(text.size() + static_cast<uint64_t>(marg) * fill.size());
  // CPython: left = marg / 2 + (marg & width & 1).
  const int64_t left = marg / 2 + (marg & width & 1);
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += text;
  for (int64_t i = 0; i < marg - left; ++i) out += fill;
  return out;
}

bool IsPyWordChar(char32_t cp) {
  if (cp == '_') return true;
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}
bool IsPyDecimal(char32_t cp) { return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ND; }

bool PyIsDigit(std::string_view text) {
  return AllCodePoints(text, [](char32_t cp) {
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return cat == UTF8PROC_CATEGORY_ND || (cat == UTF8PROC_CATEGORY_NO && cp >= 0xB2 && cp <= 0xB9);
  });
}
bool PyIsAlpha(std::string_view text) {
  return AllCodePoints(text, [](char32_t cp) {
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
  });
}
bool PyIsAlnum(std::string_view text) {
  return AllCodePoints(text, [](char32_t cp) {
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
  });
}
bool PyIsSpace(std::string_view text) { return AllCodePoints(text, IsPySpace); }

bool PyIsLower(std::string_view text) {
  bool cased = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = DecodeUtf8(text, pos);
    if (utf8proc_isupper(static_cast<utf8proc_int32_t>(cp))) return false;
    if (utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_LT) return false;
    if (utf8proc_islower(static_cast<utf8proc_int32_t>(cp))) cased = true;
  }
  return cased;
}
bool PyIsUpper(std::string_view text) {
  bool cased = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = DecodeUtf8(text, pos);
    if (utf8proc_islower(static_cast<utf8proc_int32_t>(cp))) return false;
    if (utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_LT) return false;
    if (utf8proc_isupper(static_cast<utf8proc_int32_t>(cp))) cased = true;
  }
  return cased;
}

}  // namespace tunepack::jinja
