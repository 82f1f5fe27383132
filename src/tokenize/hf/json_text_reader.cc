#include "tokenize/hf/json_text_reader.h"

namespace tunepack::tokenize::hf {
namespace {

// The value of hex digit `c`, or -1.
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the four hex digits at `p` (the text holds at least four bytes there).
bool ReadHex4(const char* p, uint32_t* out) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = HexDigit(p[i]);
    if (digit < 0) return false;
    value = value << 4 | static_cast<uint32_t>(digit);
  }
  *out = value;
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | cp >> 6));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | cp >> 12));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | cp >> 18));
    out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

bool JsonTextReader::ReadEscaped(const char* begin, std::string* scratch, std::string_view* out) {
  scratch->assign(begin, at_ - begin);
  while (true) {
    const char* stop = FindStringStop(at_);
    if (stop == nullptr) return false;
    scratch->append(at_, stop - at_);
    at_ = stop;
    if (*at_ == '"') break;
    if (*at_ != '\\' || end_ - at_ < 2) return false;  // a control character
    const char kind = at_[1];
    at_ += 2;
    switch (kind) {
      case '"': case '\\': case '/': scratch->push_back(kind); continue;
      case 'b': scratch->push_back('\b'); continue;
      case 'f': scratch->push_back('\f'); continue;
      case 'n': scratch->push_back('\n'); continue;
      case 'r': scratch->push_back('\r'); continue;
      case 't': scratch->push_back('\t'); continue;
      case 'u': break;
      default: return false;
    }
    uint32_t unit;
    if (end_ - at_ < 4 || !ReadHex4(at_, &unit)) return false;
    at_ += 4;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate alone
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low;
      if (end_ - at_ < 6 || at_[0] != '\\' || at_[1] != 'u' || !ReadHex4(at_ + 2, &low) || low < 0xDC00 ||
          low > 0xDFFF) {
        return false;  // a high surrogate not followed by a low one
      }
      at_ += 6;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(unit, scratch);
  }
  ++at_;  // the closing quote
  *out = *scratch;
  return true;
}

bool JsonTextReader::ReadUint(uint64_t* out) {
  SkipSpace();
  const char* p = at_;
  const char* limit = end_ - p > 18 ? p + 18 : end_;
  uint64_t value = 0;
  for (; p < limit && static_cast<unsigned char>(*p - '0') <= 9; ++p) value = value * 10 + static_cast<unsigned char>(*p - '0');
  const size_t digits = p - at_;
  if (digits == 0 || (digits > 1 && *at_ == '0')) return false;
  // A number goes on (more digits than 18, a fraction, an exponent): not read here.
  if (p < end_ && (static_cast<unsigned char>(*p - '0') <= 9 || *p == '.' || *p == 'e' || *p == 'E')) return false;
  at_ = p;
  *out = value;
  return true;
}

bool JsonTextReader::SkipValue() {
  const char first = Peek();
  if (first == '\0') return false;
  if (first != '"' && first != '[' && first != '{') {
    // A scalar other than a string: up to the next delimiter.
    const char* begin = at_;
    while (at_ < end_ && *at_ != ',' && *at_ != '}' && *at_ != ']' && *at_ != ' ' && *at_ != '\n' &&
           *at_ != '\r' && *at_ != '\t') {
      ++at_;
    }
    return at_ != begin;
  }
  size_t depth = 0;
  do {
    const char* next = FindQuoteOrBracket(at_);
    if (next == nullptr) return false;
    at_ = next + 1;
    switch (*next) {
      case '"': {
        const char* stop = at_;
        while ((stop = FindStringStop(stop)) != nullptr && *stop != '"') stop += *stop == '\\' ? 2 : 1;
        if (stop == nullptr) return false;
        at_ = stop + 1;
        break;
      }
      case '[': case '{': ++depth; break;
      default:
        if (depth == 0) return false;
        --depth;
    }
  } while (depth != 0);
  return true;
}

}  // namespace tunepack::tokenize::hf
