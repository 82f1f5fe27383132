// WriteDecimal: an unsigned 32-bit integer as decimal text, for output that writes millions
// of numbers (token ids). Inline, because a call per number costs as much as the number.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

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
// a store and a count of its zero bytes, against the divisions WriteDecimal does per number.
// The table grows to cover the largest number asked for (to kMaxTableEntries); larger
// numbers are written by WriteDecimal.
class DecimalCommaTable {
 public:
  // Numbers from this one on are not kept in the table (8 MB of entries at most).
  static constexpr uint32_t kMaxTableEntries = 1000000;

  // Writes each of `values` in decimal followed by a comma at `out` and returns the end; may
  // write up to values.size() * kWriteDecimalRoom bytes.
  // Example: WriteWithCommas({{12, 3}}, p) writes "12,3," at p and returns p + 5.
  char* WriteWithCommas(std::span<const uint32_t> values, char* out) {
    // The table in locals: the stores through `out` could alias the vector's own members, which
    // would otherwise be read again for every value.
    const uint64_t* table = entries_.data();
    size_t size = entries_.size();
    for (const uint32_t value : values) {
      if (value < size) [[likely]] {
        const uint64_t entry = table[value];
        std::memcpy(out, &entry, 8);
        out += entry >> kLengthShift;
      } else {
        out = WriteOutsideTable(value, out);
        table = entries_.data();
        size = entries_.size();
      }
    }
    return out;
  }

 private:
  char* WriteOutsideTable(uint32_t value, char* out) {
    if (value >= kMaxTableEntries) {
      out = WriteDecimal(value, out);
      *out++ = ',';
      return out;
    }
    // At least double, so that a rising series of numbers costs a linear number of entries.
    const size_t old_size = entries_.size();
    const size_t new_size = std::min<size_t>(std::max<size_t>({size_t{value} + 1, 2 * old_size, 1024}),
                                             kMaxTableEntries);
    entries_.resize(new_size);
    for (size_t number = old_size; number < new_size; ++number) {
      int length;
      const uint64_t text = decimal_text_internal::ShortText(static_cast<uint32_t>(number), &length);
      entries_[number] = text | (uint64_t{','} << (8 * length)) | (uint64_t(length + 1) << kLengthShift);
    }
    const uint64_t entry = entries_[value];
    std::memcpy(out, &entry, 8);
    return out + (entry >> kLengthShift);
  }

  // An entry holds the text "N," in its low bytes (six digits at most, the comma) and that
  // text's length in its high byte, which lands past the text as scratch when it is copied.
  static constexpr int kLengthShift = 56;

  std::vector<uint64_t> entries_;
};

}  // namespace tunepack
