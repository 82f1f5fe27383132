#include "parquet/column_chunk_writer.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "parquet/compression.h"
#include "parquet/rle.h"

namespace tunepack::parquet::internal {
namespace {

// A dictionary pays when values repeat: at most half as many distinct values as values,
// and small enough to stay one page (readers hold it whole). parquet-mr and Arrow fall
// back to plain past about 1 MiB of dictionary too.
constexpr size_t kMaxDictionaryBytes = 1u << 20;
// Longer min/max strings are left out of the statistics rather than bloat the footer.
constexpr size_t kMaxStatisticsBytes = 64;

template <typename T>
void AppendLittleEndian(T value, std::string& out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // x86-64 and aarch64 are little-endian
  out.append(bytes, sizeof(T));
}

// Encodes levels[begin, end) as the v1 data page stores them: a 4-byte length, then RLE.
void AppendLevels(const std::vector<uint32_t>& levels, size_t begin, size_t end, int max_level, std::string& out) {
  const std::vector<uint32_t> slice(levels.begin() + static_cast<long>(begin), levels.begin() + static_cast<long>(end));
  std::string encoded;
  EncodeRleHybrid(slice, BitWidth(static_cast<uint64_t>(max_level)), encoded);
  AppendLittleEndian(static_cast<uint32_t>(encoded.size()), out);
  out.append(encoded);
}

void AppendPlainValues(const LeafColumn& c, size_t begin, size_t end, std::string& out) {
  switch (c.kind) {
    case FieldKind::kString:
    case FieldKind::kJson:
      for (size_t i = begin; i < end; ++i) {
        const std::string_view v = c.string_value(i);
        AppendLittleEndian(static_cast<uint32_t>(v.size()), out);
        out.append(v);
      }
      break;
    case FieldKind::kInt64:
      for (size_t i = begin; i < end; ++i) AppendLittleEndian(c.ints[i], out);
      break;
    case FieldKind::kDouble:
      for (size_t i = begin; i < end; ++i) AppendLittleEndian(c.doubles[i], out);
      break;
    case FieldKind::kBool: {
      uint8_t byte = 0;
      int bit = 0;
      for (size_t i = begin; i < end; ++i) {
        byte |= static_cast<uint8_t>(c.bools[i] << bit);
        if (++bit == 8) {
          out.push_back(static_cast<char>(byte));
          byte = 0;
          bit = 0;
        }
      }
      if (bit > 0) out.push_back(static_cast<char>(byte));
      break;
    }
    default:
      break;
  }
}

// Dictionary: distinct values in first-seen order, and each value's index.
struct Dictionary {
  std::vector<std::string_view> values;
  std::vector<uint32_t> indices;
  size_t bytes = 0;
};

bool BuildDictionary(const LeafColumn& c, Dictionary& dict) {
  if (!c.is_bytes()) return false;
  const size_t n = c.value_count();
  if (n < 2) return false;
  std::unordered_map<std::string_view, uint32_t> seen;
  dict.indices.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view v = c.string_value(i);
    auto [it, inserted] = seen.emplace(v, static_cast<uint32_t>(dict.values.size()));
    if (inserted) {
      dict.values.push_back(v);
      dict.bytes += v.size() + 4;
      if (dict.bytes > kMaxDictionaryBytes || dict.values.size() * 2 > n) return false;
    }
    dict.indices.push_back(it->second);
  }
  return true;
}

Statistics ComputeStatistics(const LeafColumn& c) {
  Statistics stats;
  stats.null_count = static_cast<int64_t>(c.def.size() - c.value_count());
  const size_t n = c.value_count();
  if (n == 0) return stats;
  std::string min, max;
  switch (c.kind) {
    case FieldKind::kString: {
      std::string_view lo = c.string_value(0), hi = lo;
      for (size_t i = 1; i < n; ++i) {
        const std::string_view v = c.string_value(i);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (lo.size() > kMaxStatisticsBytes || hi.size() > kMaxStatisticsBytes) return stats;
      min = lo;
      max = hi;
      break;
    }
    case FieldKind::kInt64: {
      int64_t lo = c.ints[0], hi = lo;
      for (int64_t v : c.ints) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      AppendLittleEndian(lo, min);
      AppendLittleEndian(hi, max);
      break;
    }
    case FieldKind::kDouble: {
      double lo = c.doubles[0], hi = lo;
      for (double v : c.doubles) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      AppendLittleEndian(lo, min);
      AppendLittleEndian(hi, max);
      break;
    }
    case FieldKind::kBool: {
      uint8_t lo = 1, hi = 0;
      for (uint8_t v : c.bools) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      min.push_back(static_cast<char>(lo));
      max.push_back(static_cast<char>(hi));
      break;
    }
    default:
      return stats;  // JSON text has no meaningful order
  }
  stats.min_value = std::move(min);
  stats.max_value = std::move(max);
  return stats;
}

size_t ValueBytes(const LeafColumn& c, size_t i) {
  switch (c.kind) {
    case FieldKind::kString:
    case FieldKind::kJson: {
      const size_t begin = i == 0 ? 0 : c.ends[i - 1];
      return c.ends[i] - begin + 4;
    }
    case FieldKind::kBool: return 1;
    default: return 8;
  }
}

// Appends a page header and the compressed body; counts both sizes.
Status AppendPage(PageHeader header, std::string_view body, Codec codec, std::string& out,
                  int64_t& uncompressed_total) {
  std::string compressed;
  TP_RETURN_IF_ERROR(Compress(codec, body, compressed));
  if (body.size() > INT32_MAX || compressed.size() > INT32_MAX) {
    return ResourceExhaustedError("a page exceeds 2 GiB; lower the row group size");
  }
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(compressed.size());
  ThriftWriter thrift;
  WritePageHeader(header, thrift);
  out.append(thrift.bytes());
  out.append(compressed);
  uncompressed_total += static_cast<int64_t>(thrift.bytes().size() + body.size());
  return Status::Ok();
}

}  // namespace

PhysicalType PhysicalTypeOf(FieldKind kind) {
  switch (kind) {
    case FieldKind::kInt64: return PhysicalType::kInt64;
    case FieldKind::kDouble: return PhysicalType::kDouble;
    case FieldKind::kBool: return PhysicalType::kBoolean;
    default: return PhysicalType::kByteArray;
  }
}

Codec CodecOf(Compression compression) {
  switch (compression) {
    case Compression::kSnappy: return Codec::kSnappy;
    case Compression::kZstd: return Codec::kZstd;
    case Compression::kGzip: return Codec::kGzip;
    case Compression::kNone: return Codec::kUncompressed;
  }
  return Codec::kUncompressed;
}

Result<ColumnMetaData> WriteColumnChunk(const LeafColumn& c, const WriterOptions& options, uint64_t chunk_offset,
                                        std::string& out) {
  const size_t start = out.size();
  const Codec codec = CodecOf(options.compression);
  ColumnMetaData meta;
  meta.type = PhysicalTypeOf(c.kind);
  meta.path_in_schema = c.path;
  meta.codec = codec;
  meta.num_values = static_cast<int64_t>(c.def.size());
  meta.statistics = ComputeStatistics(c);

  Dictionary dict;
  const bool dictionary = options.dictionary && BuildDictionary(c, dict);
  if (dictionary) {
    meta.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
    std::string body;
    for (std::string_view v : dict.values) {
      AppendLittleEndian(static_cast<uint32_t>(v.size()), body);
      body.append(v);
    }
    meta.dictionary_page_offset = static_cast<int64_t>(chunk_offset + (out.size() - start));
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page = DictionaryPageHeader{static_cast<int32_t>(dict.values.size()), Encoding::kPlain};
    TP_RETURN_IF_ERROR(AppendPage(header, body, codec, out, meta.total_uncompressed_size));
  } else {
    meta.encodings = {Encoding::kPlain, Encoding::kRle};
  }
  meta.data_page_offset = static_cast<int64_t>(chunk_offset + (out.size() - start));
  // Width at least 1: some readers reject 0-bit indices even for a one-value dictionary.
  const int index_width = dictionary ? std::max(1, BitWidth(dict.values.size() - 1)) : 0;

  const size_t entries = c.def.size();
  size_t entry = 0;
  size_t value = 0;
  std::string body;
  do {
    // One page: whole records until about page_bytes of values.
    const size_t first_entry = entry, first_value = value;
    size_t page_value_bytes = 0;
    while (entry < entries) {
      if (entry > first_entry && c.rep[entry] == 0 && page_value_bytes >= options.page_bytes) break;
      if (static_cast<int>(c.def[entry]) == c.max_def) page_value_bytes += ValueBytes(c, value++);
      ++entry;
    }
    body.clear();
    if (c.max_rep > 0) AppendLevels(c.rep, first_entry, entry, c.max_rep, body);
    if (c.max_def > 0) AppendLevels(c.def, first_entry, entry, c.max_def, body);
    if (dictionary) {
      body.push_back(static_cast<char>(index_width));
      const std::vector<uint32_t> slice(dict.indices.begin() + static_cast<long>(first_value),
                                        dict.indices.begin() + static_cast<long>(value));
      EncodeRleHybrid(slice, index_width, body);
    } else {
      AppendPlainValues(c, first_value, value, body);
    }
    PageHeader header;
    header.type = PageType::kDataPage;
    header.data_page = DataPageHeader{static_cast<int32_t>(entry - first_entry),
                                      dictionary ? Encoding::kRleDictionary : Encoding::kPlain,
                                      Encoding::kRle, Encoding::kRle};
    TP_RETURN_IF_ERROR(AppendPage(header, body, codec, out, meta.total_uncompressed_size));
  } while (entry < entries);
  meta.total_compressed_size = static_cast<int64_t>(out.size() - start);
  return meta;
}

}  // namespace tunepack::parquet::internal
