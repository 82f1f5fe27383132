#include "tunepack/core/json_writer.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Returns the offset of the first byte at or after `i` in `text` that must be escaped (a
// control character, '"' or '\\'), or text.size(). Sixteen bytes per step with SSE2 (one
// compare per kind and a bit scan, no branch per byte), then eight with the bit tricks of
// "Bit Twiddling Hacks" (a byte is zero / below n), then one at a time.
inline size_t FindEscape(std::string_view text, size_t i) {
  const char* data = text.data();
  const size_t size = text.size();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= size; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    // Unsigned bytes <= 0x1F are those that max(byte, 0x1F) leaves at 0x1F.
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, last_control), last_control);
    const __m128i special =
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    auto has_zero = [&](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
    const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
    if ((below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0) break;
  }
  while (i < size && kEscape[static_cast<unsigned char>(data[i])] == 0) ++i;
  return i;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = FindEscape(text, 0); i < text.size(); i = FindEscape(text, i + 1)) {
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const char escape = kEscape[c];
    if (escape == 'u') {
      const char unicode[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(unicode, sizeof unicode);
    } else {
      const char short_escape[] = {'\\', escape};
      out.append(short_escape, sizeof short_escape);
    }
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
