#include "parquet/rle.h"

#include <algorithm>

namespace tunepack::parquet::internal {
namespace {

void Varint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void AppendRle(uint32_t value, size_t count, int bit_width, std::string& out) {
  Varint(static_cast<uint64_t>(count) << 1, out);
  const int bytes = (bit_width + 7) / 8;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Bit-packs values[begin, begin + groups * 8), padding past `end` with zeros.
void AppendBitPacked(const std::vector<uint32_t>& values, size_t begin, size_t end, size_t groups,
                     int bit_width, std::string& out) {
  Varint((static_cast<uint64_t>(groups) << 1) | 1, out);
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t i = begin; i < begin + groups * 8; ++i) {
    const uint64_t v = i < end ? values[i] : 0;
    buffer |= v << bits;
    bits += bit_width;
    while (bits >= 8) {
      out.push_back(static_cast<char>(buffer & 0xFF));
      buffer >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push_back(static_cast<char>(buffer & 0xFF));
}

size_t RunLength(const std::vector<uint32_t>& values, size_t at) {
  size_t j = at + 1;
  while (j < values.size() && values[j] == values[at]) ++j;
  return j - at;
}

}  // namespace

int BitWidth(uint64_t max_value) {
  int width = 0;
  while (max_value != 0) {
    ++width;
    max_value >>= 1;
  }
  return width;
}

void EncodeRleHybrid(const std::vector<uint32_t>& values, int bit_width, std::string& out) {
  constexpr size_t kMinRun = 8;
  size_t i = 0;
  const size_t n = values.size();
  while (i < n) {
    const size_t run = RunLength(values, i);
    if (run >= kMinRun || bit_width == 0) {
      AppendRle(values[i], run, bit_width, out);
      i += run;
      continue;
    }
    // Literal stretch: up to the next long run (or the end), rounded up to whole groups of
    // 8 by borrowing from that run; only the very end may be padded.
    size_t j = i;
    while (j < n) {
      const size_t r = RunLength(values, j);
      if (r >= kMinRun) break;
      j += r;
    }
    size_t literal = j - i;
    if (j < n && literal % 8 != 0) literal += 8 - literal % 8;  // borrowed from the run
    const size_t end = std::min(n, i + literal);
    const size_t groups = (literal + 7) / 8;
    AppendBitPacked(values, i, end, groups, bit_width, out);
    i = end;
  }
}

Status DecodeRleHybrid(std::string_view data, int bit_width, size_t count, std::vector<uint32_t>& out) {
  if (bit_width < 0 || bit_width > 32) return DataLossError("bit width " + std::to_string(bit_width) + " out of range");
  size_t pos = 0;
  size_t produced = 0;
  const int value_bytes = (bit_width + 7) / 8;
  while (produced < count) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      if (shift >= 64) return DataLossError("run header too long");
      if (pos >= data.size()) return DataLossError("encoded values end after " + std::to_string(produced) + " of " + std::to_string(count));
      const uint8_t b = static_cast<uint8_t>(data[pos++]);
      header |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
    }
    if (header & 1) {
      const uint64_t groups = header >> 1;
      if (groups == 0) return DataLossError("empty bit-packed run");
      if (bit_width > 0 && groups > data.size()) return DataLossError("bit-packed run longer than its data");
      const uint64_t values_in_run = groups * 8;
      const uint64_t bytes = groups * static_cast<uint64_t>(bit_width);
      if (bytes > data.size() - pos) return DataLossError("bit-packed run longer than its data");
      uint64_t buffer = 0;
      int bits = 0;
      size_t byte_pos = pos;
      const uint32_t mask = bit_width == 32 ? 0xFFFFFFFFu : ((1u << bit_width) - 1);
      const uint64_t wanted = std::min<uint64_t>(values_in_run, count - produced);
      for (uint64_t k = 0; k < wanted; ++k) {
        while (bits < bit_width) {
          buffer |= static_cast<uint64_t>(static_cast<uint8_t>(data[byte_pos++])) << bits;
          bits += 8;
        }
        const uint32_t v = static_cast<uint32_t>(buffer) & mask;
        buffer >>= bit_width;
        bits -= bit_width;
        out.push_back(v);
        ++produced;
      }
      pos += bytes;
    } else {
      const uint64_t run = header >> 1;
      if (run == 0) return DataLossError("empty RLE run");
      if (static_cast<size_t>(value_bytes) > data.size() - pos) return DataLossError("RLE run ends early");
      uint32_t v = 0;
      for (int k = 0; k < value_bytes; ++k) v |= static_cast<uint32_t>(static_cast<uint8_t>(data[pos + k])) << (8 * k);
      pos += value_bytes;
      if (bit_width < 32 && (v >> bit_width) != 0) return DataLossError("RLE value wider than its bit width");
      const size_t take = static_cast<size_t>(std::min<uint64_t>(run, count - produced));
      out.insert(out.end(), take, v);
      produced += take;
    }
  }
  return Status::Ok();
}

Status DecodeBitPackedLegacy(std::string_view data, int bit_width, size_t count, std::vector<uint32_t>& out) {
  const uint64_t bits_needed = static_cast<uint64_t>(count) * bit_width;
  if ((bits_needed + 7) / 8 > data.size()) return DataLossError("bit-packed levels end early");
  uint64_t bit = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t v = 0;
    for (int b = 0; b < bit_width; ++b, ++bit) {
      const uint8_t byte = static_cast<uint8_t>(data[bit / 8]);
      v = (v << 1) | ((byte >> (7 - bit % 8)) & 1);
    }
    out.push_back(v);
  }
  return Status::Ok();
}

}  // namespace tunepack::parquet::internal
