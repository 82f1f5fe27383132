#include "parquet/value_decoder.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "parquet/rle.h"
#include "parquet/temporal_text.h"
#include "tunepack/core/json_syntax.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/utf8.h"

namespace tunepack::parquet::internal {
namespace {

constexpr int32_t kConvertedUint32 = 13;
constexpr int32_t kConvertedUint64 = 14;

template <typename T>
T LoadLittleEndian(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
void AppendNumber(T v, std::string& out) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
  out.append(buffer, result.ptr);
}

template <typename F>
void AppendFloat(F v, std::string& out) {
  if (!std::isfinite(v)) {
    out.append("null");  // JSON has no NaN or infinity
    return;
  }
  AppendNumber(v, out);
}

// Appends `unscaled` / 10^scale as a JSON number.
void AppendDecimal(__int128 unscaled, int32_t scale, std::string& out) {
  const bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(unscaled) : unscaled;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  } else if (scale < 0) {
    digits.append(static_cast<size_t>(-scale), '0');
  }
  if (negative) out.push_back('-');
  out.append(digits);
}

bool IsDecimal(const LeafType& t) { return t.converted == kConvertedDecimal || t.logical == kLogicalDecimal; }

// Renders bytes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY) as JSON.
Status RenderBytes(const LeafType& t, std::string_view v, std::string& out) {
  if (IsDecimal(t)) {
    if (v.empty() || v.size() > 16) return UnimplementedError("decimals wider than 16 bytes are not supported");
    __int128 unscaled = static_cast<int8_t>(v[0]) < 0 ? -1 : 0;  // big-endian two's complement
    for (char c : v) unscaled = (unscaled << 8) | static_cast<uint8_t>(c);
    AppendDecimal(unscaled, t.scale, out);
    return Status::Ok();
  }
  const bool json = t.converted == kConvertedJson || t.logical == kLogicalJson;
  if (json && FindJsonSyntaxError(v).offset == std::string_view::npos) {
    out.append(v);
    return Status::Ok();
  }
  if (!IsValidUtf8(v)) return DataLossError("a value is binary, not UTF-8 text");
  AppendJsonString(out, v);
  return Status::Ok();
}

// Renders a date or time (true), or leaves `out` alone (false: not a temporal type).
bool RenderTemporal(const LeafType& t, int64_t v, std::string& out) {
  const TemporalType temporal = TemporalOf(t);
  switch (temporal.kind) {
    case TemporalType::Kind::kDate: AppendDate(v, out); return true;
    case TemporalType::Kind::kTime: AppendTimeOfDay(v, temporal, out); return true;
    case TemporalType::Kind::kTimestamp: AppendTimestamp(v, temporal, out); return true;
    default: return false;
  }
}

Status RenderInt32(const LeafType& t, int32_t v, std::string& out) {
  if (RenderTemporal(t, v, out)) return Status::Ok();
  if (t.converted == kConvertedUint32) {
    AppendNumber(static_cast<uint32_t>(v), out);
  } else if (IsDecimal(t)) {
    AppendDecimal(v, t.scale, out);
  } else {
    AppendNumber(v, out);
  }
  return Status::Ok();
}

Status RenderInt64(const LeafType& t, int64_t v, std::string& out) {
  if (RenderTemporal(t, v, out)) return Status::Ok();
  if (t.converted == kConvertedUint64) {
    AppendNumber(static_cast<uint64_t>(v), out);
  } else if (IsDecimal(t)) {
    AppendDecimal(v, t.scale, out);
  } else {
    AppendNumber(v, out);
  }
  return Status::Ok();
}

// Renders one fixed-width value at `p`.
Status RenderFixed(const LeafType& t, const char* p, std::string& out) {
  switch (t.physical) {
    case PhysicalType::kInt32: return RenderInt32(t, LoadLittleEndian<int32_t>(p), out);
    case PhysicalType::kInt64: return RenderInt64(t, LoadLittleEndian<int64_t>(p), out);
    case PhysicalType::kFloat: AppendFloat(LoadLittleEndian<float>(p), out); return Status::Ok();
    case PhysicalType::kDouble: AppendFloat(LoadLittleEndian<double>(p), out); return Status::Ok();
    case PhysicalType::kInt96: AppendInt96Timestamp(p, out); return Status::Ok();
    case PhysicalType::kFixedLenByteArray:
      return RenderBytes(t, std::string_view(p, static_cast<size_t>(t.type_length)), out);
    default: return InternalError("not a fixed-width type");
  }
}

size_t FixedWidth(const LeafType& t) {
  switch (t.physical) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kInt96: return 12;
    case PhysicalType::kFixedLenByteArray: return t.type_length > 0 ? static_cast<size_t>(t.type_length) : 0;
    default: return 0;
  }
}

Status DecodePlain(const LeafType& t, std::string_view data, size_t count, Fragments& out) {
  if (t.physical == PhysicalType::kBoolean) {
    if ((count + 7) / 8 > data.size()) return DataLossError("boolean values end early");
    for (size_t i = 0; i < count; ++i) {
      out.text.append(((static_cast<uint8_t>(data[i / 8]) >> (i % 8)) & 1) ? "true" : "false");
      out.ends.push_back(out.text.size());
    }
    return Status::Ok();
  }
  if (t.physical == PhysicalType::kByteArray) {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
      if (data.size() - pos < 4) return DataLossError("string values end early");
      const uint32_t length = LoadLittleEndian<uint32_t>(data.data() + pos);
      pos += 4;
      if (length > data.size() - pos) return DataLossError("a string value runs past its page");
      TP_RETURN_IF_ERROR(RenderBytes(t, data.substr(pos, length), out.text));
      out.ends.push_back(out.text.size());
      pos += length;
    }
    return Status::Ok();
  }
  const size_t width = FixedWidth(t);
  if (width == 0) return DataLossError("fixed-length column without a length");
  if (count > data.size() / width) return DataLossError("values end early");
  for (size_t i = 0; i < count; ++i) {
    TP_RETURN_IF_ERROR(RenderFixed(t, data.data() + i * width, out.text));
    out.ends.push_back(out.text.size());
  }
  return Status::Ok();
}

// Reads an unsigned LEB128 varint.
Result<uint64_t> ReadUleb(std::string_view data, size_t& pos) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= data.size()) return DataLossError("delta header ends early");
    const uint8_t b = static_cast<uint8_t>(data[pos++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
  return DataLossError("delta varint too long");
}

int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// DELTA_BINARY_PACKED (parquet-format Encodings.md). Decodes `count` values (or, with
// count == SIZE_MAX, as many as the header says) from data[pos...]; advances pos.
Status DecodeDeltaBinaryPacked(std::string_view data, size_t& pos, size_t count, std::vector<int64_t>& out) {
  TP_ASSIGN_OR_RETURN(uint64_t block_size, ReadUleb(data, pos));
  TP_ASSIGN_OR_RETURN(uint64_t miniblocks, ReadUleb(data, pos));
  TP_ASSIGN_OR_RETURN(uint64_t total, ReadUleb(data, pos));
  TP_ASSIGN_OR_RETURN(uint64_t first_raw, ReadUleb(data, pos));
  if (block_size == 0 || block_size % 128 != 0 || miniblocks == 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0 || block_size > (1u << 20)) {
    return DataLossError("bad DELTA_BINARY_PACKED header");
  }
  if (count == SIZE_MAX) count = total;
  if (total < count) return DataLossError("DELTA_BINARY_PACKED holds fewer values than the page");
  if (count > (1u << 26)) return ResourceExhaustedError("too many values in one page");
  const uint64_t per_miniblock = block_size / miniblocks;
  uint64_t value = static_cast<uint64_t>(UnZigZag(first_raw));
  out.reserve(out.size() + count);
  if (total == 0) return Status::Ok();
  out.push_back(static_cast<int64_t>(value));
  uint64_t produced = 1;
  // The whole encoded run is consumed (its end is where following data starts).
  while (produced < total) {
    TP_ASSIGN_OR_RETURN(uint64_t min_raw, ReadUleb(data, pos));
    const uint64_t min_delta = static_cast<uint64_t>(UnZigZag(min_raw));
    if (miniblocks > data.size() - pos) return DataLossError("DELTA_BINARY_PACKED ends early");
    const std::string_view widths = data.substr(pos, miniblocks);
    pos += miniblocks;
    for (uint64_t m = 0; m < miniblocks && produced < total; ++m) {
      const int width = static_cast<uint8_t>(widths[m]);
      if (width > 64) return DataLossError("DELTA_BINARY_PACKED bit width over 64");
      const uint64_t bytes = per_miniblock * width / 8;
      if (bytes > data.size() - pos) return DataLossError("DELTA_BINARY_PACKED ends early");
      const char* p = data.data() + pos;
      for (uint64_t k = 0; k < per_miniblock && produced < total; ++k) {
        uint64_t delta = 0;
        const uint64_t bit = k * width;
        for (int b = 0; b < width; ++b) {
          const uint64_t at = bit + b;
          delta |= static_cast<uint64_t>((static_cast<uint8_t>(p[at / 8]) >> (at % 8)) & 1) << b;
        }
        value += min_delta + delta;  // wraps modulo 2^64, as the spec says
        if (produced < count) out.push_back(static_cast<int64_t>(value));
        ++produced;
      }
      pos += bytes;
    }
  }
  return Status::Ok();
}

Status DecodeDeltaLengths(std::string_view data, size_t& pos, size_t count, std::vector<std::string_view>& out) {
  std::vector<int64_t> lengths;
  TP_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, pos, count, lengths));
  for (int64_t length : lengths) {
    if (length < 0 || static_cast<uint64_t>(length) > data.size() - pos) return DataLossError("a string value runs past its page");
    out.push_back(data.substr(pos, static_cast<size_t>(length)));
    pos += static_cast<size_t>(length);
  }
  return Status::Ok();
}

Status AppendRendered(const LeafType& t, std::string_view v, Fragments& out) {
  if (t.physical == PhysicalType::kFixedLenByteArray && v.size() != static_cast<size_t>(t.type_length)) {
    return DataLossError("a fixed-length value has the wrong length");
  }
  TP_RETURN_IF_ERROR(RenderBytes(t, v, out.text));
  out.ends.push_back(out.text.size());
  return Status::Ok();
}

}  // namespace

Status DecodeValues(const LeafType& t, Encoding encoding, std::string_view data, size_t count,
                    const Fragments* dictionary, uint64_t& budget, Fragments& out) {
  switch (encoding) {
    case Encoding::kPlain:
      return DecodePlain(t, data, count, out);
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (dictionary == nullptr) return DataLossError("dictionary-encoded page without a dictionary page");
      if (count == 0) return Status::Ok();
      if (data.empty()) return DataLossError("dictionary indices missing");
      const int width = static_cast<uint8_t>(data[0]);
      std::vector<uint32_t> indices;
      TP_RETURN_IF_ERROR(DecodeRleHybrid(data.substr(1), width, count, indices));
      uint64_t bytes = 0;
      for (uint32_t index : indices) {
        if (index >= dictionary->size()) return DataLossError("dictionary index " + std::to_string(index) + " out of range");
        bytes += dictionary->at(index).size();
      }
      if (bytes > budget) return ResourceExhaustedError("row group larger than the reader's limit");
      budget -= bytes;
      for (uint32_t index : indices) out.Append(dictionary->at(index));
      return Status::Ok();
    }
    case Encoding::kRle: {
      if (t.physical != PhysicalType::kBoolean) return DataLossError("RLE values in a non-boolean column");
      if (data.size() < 4) return DataLossError("RLE booleans end early");
      const uint32_t length = LoadLittleEndian<uint32_t>(data.data());
      if (length > data.size() - 4) return DataLossError("RLE booleans end early");
      std::vector<uint32_t> bits;
      TP_RETURN_IF_ERROR(DecodeRleHybrid(data.substr(4, length), 1, count, bits));
      for (uint32_t bit : bits) out.Append(bit ? "true" : "false");
      return Status::Ok();
    }
    case Encoding::kDeltaBinaryPacked: {
      if (t.physical != PhysicalType::kInt32 && t.physical != PhysicalType::kInt64) {
        return DataLossError("DELTA_BINARY_PACKED in a non-integer column");
      }
      std::vector<int64_t> values;
      size_t pos = 0;
      TP_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, pos, count, values));
      for (int64_t v : values) {
        if (t.physical == PhysicalType::kInt32) {
          TP_RETURN_IF_ERROR(RenderInt32(t, static_cast<int32_t>(v), out.text));
        } else {
          TP_RETURN_IF_ERROR(RenderInt64(t, v, out.text));
        }
        out.ends.push_back(out.text.size());
      }
      return Status::Ok();
    }
    case Encoding::kDeltaLengthByteArray: {
      std::vector<std::string_view> values;
      size_t pos = 0;
      TP_RETURN_IF_ERROR(DecodeDeltaLengths(data, pos, count, values));
      for (std::string_view v : values) TP_RETURN_IF_ERROR(AppendRendered(t, v, out));
      return Status::Ok();
    }
    case Encoding::kDeltaByteArray: {
      std::vector<int64_t> prefixes;
      size_t pos = 0;
      TP_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, pos, count, prefixes));
      std::vector<std::string_view> suffixes;
      TP_RETURN_IF_ERROR(DecodeDeltaLengths(data, pos, count, suffixes));
      std::string previous, current;
      for (size_t i = 0; i < count; ++i) {
        if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > previous.size()) {
          return DataLossError("DELTA_BYTE_ARRAY prefix longer than the previous value");
        }
        current.assign(previous, 0, static_cast<size_t>(prefixes[i]));
        current.append(suffixes[i]);
        TP_RETURN_IF_ERROR(AppendRendered(t, current, out));
        previous.swap(current);
      }
      return Status::Ok();
    }
    case Encoding::kByteStreamSplit: {
      const size_t width = FixedWidth(t);
      if (width == 0 || t.physical == PhysicalType::kInt96) return DataLossError("BYTE_STREAM_SPLIT in an unsupported column");
      if (count > data.size() / width) return DataLossError("values end early");
      std::string value(width, '\0');
      for (size_t i = 0; i < count; ++i) {
        for (size_t b = 0; b < width; ++b) value[b] = data[b * count + i];
        TP_RETURN_IF_ERROR(RenderFixed(t, value.data(), out.text));
        out.ends.push_back(out.text.size());
      }
      return Status::Ok();
    }
    default:
      return UnimplementedError("value encoding " + std::to_string(static_cast<int>(encoding)) + " is not supported");
  }
}

}  // namespace tunepack::parquet::internal
