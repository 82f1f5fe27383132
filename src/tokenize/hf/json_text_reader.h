// JsonTextReader: a strict reader of the few JSON shapes a tokenizer.json's vocab and merges
// use (objects, arrays, strings, whole numbers), straight from the file's text. simdjson's
// on-demand reading of them indexed every structural character of Gemma 3's 33 MB first
// and spent about 290 instructions a merge; this reader scans 16 bytes at a time and
// spends about 150 a merge beyond the strings. Whatever it does not accept, valid JSON or
// not (a number with a fraction, a lone surrogate escape), it answers false and the caller
// falls back to the DOM, whose messages name the fault.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tunepack::tokenize::hf {

class JsonTextReader {
 public:
  // Reads `text`.
  explicit JsonTextReader(std::string_view text) : at_(text.data()), end_(text.data() + text.size()) {}

  // Skips whitespace and returns the next byte, or 0 at the end of the text.
  char Peek() {
    SkipSpace();
    return at_ < end_ ? *at_ : '\0';
  }
  // Skips whitespace, then `c` if it is next: whether it was.
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++at_;
    return true;
  }
  // Reads the string that starts at the next byte (after whitespace). Its text is the
  // file's bytes when it holds no escape; otherwise it is unescaped into `*scratch`.
  bool ReadString(std::string* scratch, std::string_view* out) {
    if (Peek() != '"') return false;
    const char* begin = ++at_;
    const char* stop = FindStringStop(begin);
    if (stop == nullptr) return false;
    if (*stop == '"') {
      *out = std::string_view(begin, stop - begin);
      at_ = stop + 1;
      return true;
    }
    at_ = stop;
    return ReadEscaped(begin, scratch, out);
  }
  // Reads a whole number written without sign, fraction or exponent, of up to 18 digits.
  bool ReadUint(uint64_t* out);
  // Skips the value that starts at the next byte: strings by their quotes and escapes,
  // arrays and objects by their brackets; nothing in it is checked (the DOM reads it).
  bool SkipValue();
  // Where the reader is: the byte after what it has read.
  const char* position() const { return at_; }
  // Moves the reader on to `next`, a byte after position() inside the text.
  void SkipTo(const char* next) { at_ = next; }

 private:
  // Pretty-printed tables put a newline and a run of spaces before each value: the run is
  // skipped 16 bytes at a time.
  void SkipSpace() {
    // Most calls find no whitespace: one compare settles them (whitespace is below '!').
    if (at_ < end_ && static_cast<unsigned char>(*at_) > ' ') return;
#if defined(__SSE2__)
    for (; end_ - at_ >= 16; at_ += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at_));
      const __m128i space = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))),
          _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\t'))));
      const unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(space)) & 0xFFFF;
      if (other != 0) {
        at_ += __builtin_ctz(other);
        return;
      }
    }
#endif
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }
  static bool IsStringStop(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }
  static bool IsQuoteOrBracket(char c) { return c == '"' || c == '[' || c == ']' || c == '{' || c == '}'; }
  // Returns the first '"', '\\' or control character (not allowed in a JSON string) at or
  // after `from`, or nullptr when the text ends first.
  const char* FindStringStop(const char* from) const { return FindFirst<true>(from); }
  // Returns the first '"' or bracket at or after `from`, or nullptr when the text ends first.
  const char* FindQuoteOrBracket(const char* from) const { return FindFirst<false>(from); }
  // The first byte at or after `p` that IsStringStop (kStringStop) or IsQuoteOrBracket
  // accepts, 16 bytes at a time, or nullptr.
  template <bool kStringStop>
  const char* FindFirst(const char* p) const {
#if defined(__SSE2__)
    for (; end_ - p >= 16; p += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i found;
      if constexpr (kStringStop) {
        const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
        found = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'))), control);
      } else {
        found = _mm_setzero_si128();
        for (const char c : {'"', '[', ']', '{', '}'}) found = _mm_or_si128(found, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)));
      }
      const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(found));
      if (mask != 0) return p + __builtin_ctz(mask);
    }
#endif
    for (; p < end_; ++p) {
      if (kStringStop ? IsStringStop(*p) : IsQuoteOrBracket(*p)) return p;
    }
    return nullptr;
  }
  // Reads the rest of a string with an escape: `begin` is its first byte, at_ the first stop.
  bool ReadEscaped(const char* begin, std::string* scratch, std::string_view* out);

  const char* at_;
  const char* end_;
};

}  // namespace tunepack::tokenize::hf
