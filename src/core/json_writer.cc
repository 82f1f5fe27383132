#include "tunepack/core/json_writer.h"

#include <array>
#include <cstring>

namespace tunepack {
namespace {

// kEscape[c] is 0 when byte c is copied as is, otherwise the letter of its short escape
// or 'u' for a \u00XX escape.
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}
constexpr std::array<char, 256> kEscape = MakeEscapeTable();

// Returns true when any of the eight bytes at `p` is a control character, '"' or '\\'
// (the bit tricks of "Bit Twiddling Hacks": a byte is zero / below n).
inline bool NeedsEscape8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [&](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
  return (below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  size_t run_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    // Skip eight bytes at a time while none needs escaping: the common case by far.
    while (i + 8 <= text.size() && !NeedsEscape8(text.data() + i)) i += 8;
    if (i >= text.size()) break;
    const char escape = kEscape[static_cast<unsigned char>(text[i])];
    if (escape == 0) {
      ++i;
      continue;
    }
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    out.push_back('\\');
    if (escape == 'u') {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      out.append("u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(escape);
    }
    ++i;
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

std::string JsonQuote(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string& JsonObjectWriter::Key(std::string_view key) {
  if (!first_) out_.push_back(',');
  first_ = false;
  AppendJsonString(out_, key);
  out_.push_back(':');
  return out_;
}

void JsonObjectWriter::String(std::string_view key, std::string_view value) {
  AppendJsonString(Key(key), value);
}

void JsonObjectWriter::Raw(std::string_view key, std::string_view json) { Key(key).append(json); }

void JsonObjectWriter::Int(std::string_view key, int64_t value) {
  Key(key).append(std::to_string(value));
}

void JsonObjectWriter::Bool(std::string_view key, bool value) {
  Key(key).append(value ? "true" : "false");
}

}  // namespace tunepack
