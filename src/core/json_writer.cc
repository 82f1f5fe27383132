#include "tunepack/core/json_writer.h"
#include "tunepack/core/json_written_string.h"

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

// kUnescape[letter] is the byte whose short escape is `letter` ('n' -> '\n'), 0 for a
// letter that is none.
constexpr std::array<char, 256> MakeUnescapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if (kEscape[c] != 0 && kEscape[c] != 'u') table[static_cast<unsigned char>(kEscape[c])] = static_cast<char>(c);
  }
  return table;
}
constexpr std::array<char, 256> kUnescape = MakeUnescapeTable();

// Room for escapes made when a string is appended: a chat text of a few KB needs a few
// dozen (its line breaks), so growing the output again is rare.
constexpr size_t kEscapeRoom = 64;

#if defined(__SSE2__)
// Returns a bit per byte of `block` that needs escaping (a control character, '"' or '\\').
inline unsigned EscapeMask(__m128i block) {
  // Bytes below 0x20 are those where max(byte, 0x1f) == 0x1f, unsigned.
  const __m128i below_space = _mm_set1_epi8(0x1f);
  const __m128i hits = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')), _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))),
      _mm_cmpeq_epi8(_mm_max_epu8(block, below_space), below_space));
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
}
#endif

// Returns the index of the first byte at or after `i` that needs escaping (a control
// character, '"' or '\\'), or text.size(). Sixteen bytes at a time with SSE2 (part of every
// x86-64 CPU): chat text needs an escape only every few dozen bytes (its line breaks).
inline size_t NextEscape(std::string_view text, size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= text.size(); i += 16) {
    const unsigned mask = EscapeMask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < text.size() && kEscape[static_cast<unsigned char>(text[i])] == 0) ++i;
  return i;
}

// Room kept free ahead of the writing pointer while a string is escaped: a whole 16-byte
// block stored at once, the longest escape (\u00XX, 6 bytes) and the closing quote.
constexpr size_t kWriteAhead = 16 + 6 + 1;
static_assert(kEscapeRoom + 1 >= kWriteAhead, "the first room made must cover the write-ahead");

// Writes the escape of byte `c` (one that kEscape marks) at `w`; returns the end.
inline char* WriteEscape(char* w, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char escape = kEscape[c];
  *w++ = '\\';
  if (escape != 'u') {
    *w++ = escape;
    return w;
  }
  std::memcpy(w, "u00", 3);
  w[3] = kHex[c >> 4];
  w[4] = kHex[c & 0xF];
  return w + 5;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  // Written through a pointer into room made once: the text, its quotes and a few escapes;
  // the room grows only for text with more escapes than that. Sixteen bytes a step with
  // SSE2, each block stored whole before looking at it (the room ahead holds it): a block
  // with nothing to escape costs a load, three compares and a store, and an escape (chat
  // text has a line break every few dozen bytes) moves the block on to the byte after it,
  // with no call to copy the run before it.
  const char* in = text.data();
  const size_t size = text.size();
  size_t used = out.size();
  out.resize(used + size + 2 + kEscapeRoom);
  char* w = out.data() + used;
  char* end = out.data() + out.size();
  *w++ = '"';
  size_t i = 0;
  // After an escape: keeps kWriteAhead bytes of room beyond what the rest of the text takes.
  auto keep_room = [&] {
    if (static_cast<size_t>(end - w) < (size - i) + kWriteAhead) {
      used = static_cast<size_t>(w - out.data());
      out.resize(used + (size - i) + kWriteAhead + kEscapeRoom);
      w = out.data() + used;
      end = out.data() + out.size();
    }
  };
#if defined(__SSE2__)
  while (i + 16 <= size) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), block);
    const unsigned mask = EscapeMask(block);
    if (mask == 0) {
      w += 16;
      i += 16;
      continue;
    }
    const unsigned run = static_cast<unsigned>(__builtin_ctz(mask));
    w = WriteEscape(w + run, static_cast<unsigned char>(in[i + run]));
    i += run + 1;
    keep_room();
  }
#endif
  for (; i < size; ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (kEscape[c] == 0) {
      *w++ = static_cast<char>(c);
      continue;
    }
    w = WriteEscape(w, c);
    keep_room();  // counts the escaped byte as still to write: room for one byte more
  }
  *w++ = '"';
  out.resize(static_cast<size_t>(w - out.data()));
}

bool ReadWrittenJsonString(std::string_view body, std::string& out) {
  size_t i = 0;
  while (true) {
    // In a string AppendJsonString wrote, the only byte NextEscape stops at is a backslash.
    const size_t next = NextEscape(body, i);
    out.append(body.data() + i, next - i);
    if (next == body.size()) return true;
    if (body[next] != '\\' || next + 1 == body.size()) return false;
    const char letter = body[next + 1];
    i = next + 2;
    if (letter != 'u') {
      const char byte = kUnescape[static_cast<unsigned char>(letter)];
      if (byte == 0) return false;
      out.push_back(byte);
      continue;
    }
    // \u00XX of a control character without a short form, in AppendJsonString's hex digits.
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    if (body.size() - i < 4 || body[i] != '0' || body[i + 1] != '0') return false;
    const int high = hex(body[i + 2]);
    const int low = hex(body[i + 3]);
    if (high < 0 || low < 0) return false;
    const unsigned char byte = static_cast<unsigned char>(high * 16 + low);
    if (kEscape[byte] != 'u') return false;
    out.push_back(static_cast<char>(byte));
    i += 4;
  }
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
