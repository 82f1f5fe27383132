// The Parquet metadata structures tunepack reads and writes (a subset of parquet.thrift:
// the fields readers need), with their compact-protocol encoding.
// Reference: apache/parquet-format src/main/thrift/parquet.thrift.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/thrift_compact.h"
#include "tunepack/core/result.h"

namespace tunepack::parquet::internal {

enum class PhysicalType : int32_t {
  kBoolean = 0, kInt32 = 1, kInt64 = 2, kInt96 = 3, kFloat = 4, kDouble = 5,
  kByteArray = 6, kFixedLenByteArray = 7,
};
enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };
enum class Encoding : int32_t {
  kPlain = 0, kPlainDictionary = 2, kRle = 3, kBitPacked = 4, kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6, kDeltaByteArray = 7, kRleDictionary = 8, kByteStreamSplit = 9,
};
enum class Codec : int32_t {
  kUncompressed = 0, kSnappy = 1, kGzip = 2, kLzo = 3, kBrotli = 4, kLz4 = 5, kZstd = 6,
  kLz4Raw = 7,
};
enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

// Converted (legacy) types tunepack writes or interprets.
inline constexpr int32_t kConvertedUtf8 = 0;
inline constexpr int32_t kConvertedMap = 1;
inline constexpr int32_t kConvertedMapKeyValue = 2;
inline constexpr int32_t kConvertedList = 3;
inline constexpr int32_t kConvertedEnum = 4;
inline constexpr int32_t kConvertedDecimal = 5;
inline constexpr int32_t kConvertedDate = 6;
inline constexpr int32_t kConvertedTimeMillis = 7;
inline constexpr int32_t kConvertedTimeMicros = 8;
inline constexpr int32_t kConvertedTimestampMillis = 9;
inline constexpr int32_t kConvertedTimestampMicros = 10;
inline constexpr int32_t kConvertedJson = 19;

// LogicalType union members (the field id inside the LogicalType struct).
inline constexpr int16_t kLogicalString = 1;
inline constexpr int16_t kLogicalMap = 2;
inline constexpr int16_t kLogicalList = 3;
inline constexpr int16_t kLogicalEnum = 4;
inline constexpr int16_t kLogicalDecimal = 5;
inline constexpr int16_t kLogicalDate = 6;
inline constexpr int16_t kLogicalTime = 7;
inline constexpr int16_t kLogicalTimestamp = 8;
inline constexpr int16_t kLogicalJson = 12;

// TimeUnit union members (inside a TIME or TIMESTAMP logical type).
inline constexpr int16_t kTimeUnitMillis = 1;
inline constexpr int16_t kTimeUnitMicros = 2;
inline constexpr int16_t kTimeUnitNanos = 3;

struct SchemaElement {
  std::optional<PhysicalType> type;  ///< absent for groups
  int32_t type_length = 0;
  std::optional<Repetition> repetition;
  std::string name;
  int32_t num_children = 0;
  std::optional<int32_t> converted_type;
  int32_t scale = 0;
  int32_t precision = 0;
  int16_t logical_type = 0;  ///< the LogicalType union member set, 0 when absent
  int16_t time_unit = 0;     ///< TIME and TIMESTAMP: the TimeUnit member (kTimeUnit...)
  bool utc_adjusted = false; ///< TIME and TIMESTAMP: isAdjustedToUTC
};

struct Statistics {
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
  std::optional<int64_t> null_count;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt32;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  int64_t file_offset = 0;
  int64_t total_compressed_size = 0;
  int16_t ordinal = 0;
};

struct KeyValue {
  std::string key;
  std::string value;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::string created_by;
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page;
  std::optional<DictionaryPageHeader> dictionary_page;
  std::optional<DataPageHeaderV2> data_page_v2;
};

// Appends the compact encoding of `metadata` / `header` to `out`.
void WriteFileMetaData(const FileMetaData& metadata, ThriftWriter& out);
void WritePageHeader(const PageHeader& header, ThriftWriter& out);

// Parses a file footer / a page header. ParsePageHeader returns the header's size in
// `consumed`.
Result<FileMetaData> ParseFileMetaData(std::string_view bytes);
Result<PageHeader> ParsePageHeader(std::string_view bytes, size_t& consumed);

}  // namespace tunepack::parquet::internal
