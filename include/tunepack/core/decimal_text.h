// WriteDecimal and DecimalCommaTable: unsigned 32-bit integers as decimal text, for output
// that writes millions of numbers (token ids). Inline, because a call per number costs as
// much as the number.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

namespace tunepack {

// The words below hold the first digit in their lowest byte.
static_assert(std::endian::native == std::endian::little);

// Bytes WriteDecimal may write at `out`: the room the caller must have there, more than the
// ten digits of the largest value (see WriteDecimal).
inline constexpr size_t kWriteDecimalRoom = 16;

namespace decimal_text_internal {

inline constexpr uint64_t kZeros = 0x3030303030303030ULL;  // '0' in every byte

// Returns the eight decimal digits of `value` (< 10^8, leading zeros kept) as a 64-bit word
// whose lowest byte is the first digit, each byte 0-9. The digits are split four ways at
// once in the lanes of one word: 4+4, then 2+2 in each half, then 1+1 in each quarter; the
// multiplications by 10486 / 2^20 and 103 / 2^10 are exact divisions by 100 and 10 for the
// ranges each lane holds (< 10^4 and < 100), and no lane overflows into the next.
inline uint64_t EightDigits(uint32_t value) {
  const uint64_t halves = (value / 10000) | (uint64_t{value % 10000} << 32);
  const uint64_t hundreds = ((halves * 10486) >> 20) & 0x0000007F0000007FULL;
  const uint64_t quarters = hundreds | ((halves - 100 * hundreds) << 16);
  const uint64_t tens = ((quarters * 103) >> 10) & 0x000F000F000F000FULL;
  return tens | ((quarters - 10 * tens) << 8);
}

// Returns the text of `value` (< 10^8) in the low `*length` bytes of a word, its high bytes
// zero: the leading zero digits are the low zero bytes of EightDigits, one always kept.
inline uint64_t ShortText(uint32_t value, int* length) {
  const uint64_t digits = EightDigits(value);
  const int leading_zeros = std::countr_zero(digits | (uint64_t{1} << 56)) / 8;
  *length = 8 - leading_zeros;
  return (digits + kZeros) >> (8 * leading_zeros);
}

}  // namespace decimal_text_internal

// Writes `value` in decimal at `out` (no sign, no leading zeros) and returns the end of the
// digits. It stores whole 8-byte words, so it may write up to kWriteDecimalRoom bytes at
// `out`: bytes past the returned end are scratch the caller writes over next.
// Example: WriteDecimal(1234, p) writes "1234" at p and returns p + 4.
inline char* WriteDecimal(uint32_t value, char* out) {
  using namespace decimal_text_internal;
  constexpr uint32_t kEightDigits = 100000000;
  if (value >= kEightDigits) {  // nine or ten digits: the one or two first, then eight
    const uint32_t head = value / kEightDigits;
    const uint64_t tail = EightDigits(value % kEightDigits) + kZeros;
    const uint16_t head_text = head >= 10 ? static_cast<uint16_t>(('0' + head / 10) | (('0' + head % 10) << 8))
                                          : static_cast<uint16_t>('0' + head);
    std::memcpy(out, &head_text, 2);
    out += head >= 10 ? 2 : 1;
    std::memcpy(out, &tail, 8);
    return out + 8;
  }
  int length;
  const uint64_t text = ShortText(value, &length);
  std::memcpy(out, &text, 8);
  return out + length;
}

// DecimalCommaTable: "N," for each N below a bound, made once and then copied, for a writer of
// long lists of small numbers (token ids: a vocabulary's ids are a few hundred thousand at
// most, and a text uses its common ones over and over). Copying an 8-byte entry is a load,
// a store and an add, against the divisions WriteDecimal does per number. An entry is made
// the first time its number is written: the table is zeroed memory from calloc, whose pages
// the system provides as they are first touched, so a vocabulary's unused ids cost nothing.
// Numbers from kMaxTableEntries on are written by WriteDecimal.
class DecimalCommaTable {
 public:
  // Numbers from this one on are not kept in the table (8 MB of address space, of which only
  // the pages of the numbers written are touched).
  static constexpr uint32_t kMaxTableEntries = 1000000;

  DecimalCommaTable()
      : entries_(static_cast<uint64_t*>(std::calloc(kMaxTableEntries, sizeof(uint64_t)))),
        size_(entries_ != nullptr ? kMaxTableEntries : 0) {}

  // Writes each of `values` in decimal followed by a comma at `out` and returns the end; may
  // write up to values.size() * kWriteDecimalRoom bytes.
  // Example: for the values 12 and 3 it writes "12,3," at `out` and returns out + 5.
  char* WriteWithCommas(std::span<const uint32_t> values, char* out) {
    // The table in locals: the stores through `out` could alias the members, which would
    // otherwise be read again for every value.
    uint64_t* const table = entries_.get();
    const uint32_t size = size_;
    for (const uint32_t value : values) {
      if (value < size) [[likely]] {
        uint64_t entry = table[value];
        if (entry == 0) [[unlikely]] entry = table[value] = Entry(value);
        std::memcpy(out, &entry, 8);
        out += entry >> kLengthShift;
      } else {
        out = WriteDecimal(value, out);
        *out++ = ',';
      }
    }
    return out;
  }

 private:
  // An entry holds the text "N," in its low bytes (six digits at most, the comma) and that
  // text's length in its high byte, which lands past the text as scratch when it is copied;
  // no entry is zero, which marks one not made yet.
  static constexpr int kLengthShift = 56;

  static uint64_t Entry(uint32_t value) {
    int length;
    const uint64_t text = decimal_text_internal::ShortText(value, &length);
    return text | (uint64_t{','} << (8 * length)) | (uint64_t(length + 1) << kLengthShift);
  }

  struct Free {
    void operator()(uint64_t* entries) const { std::free(entries); }
  };
  std::unique_ptr<uint64_t[], Free> entries_;
  uint32_t size_;  // kMaxTableEntries, or 0 when the table could not be had
};

}  // namespace tunepack
