// Dates and times read as ISO 8601 strings: TIMESTAMP in each unit, UTC-adjusted or not,
// DATE, TIME, and INT96 timestamps (Spark, older pandas), which were refused before. The
// parity test (tests/parity/parquet) checks the same renderings against DuckDB's reading.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "parquet/metadata.h"
#include "parquet/temporal_text.h"
#include "parquet/thrift_compact.h"
#include "parquet/value_decoder.h"
#include "support/status_matchers.h"
#include "tunepack/parquet/parquet.h"
#include "tp_test_paths.h"

namespace tunepack::parquet::internal {
namespace {

using ::testing::ElementsAre;
using ::tunepack::testing::IsOk;

template <typename T>
std::string PlainValues(std::initializer_list<T> values) {
  std::string out;
  for (T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
  return out;
}

std::vector<std::string> Decode(const LeafType& type, const std::string& data, size_t count) {
  Fragments out;
  uint64_t budget = 1 << 20;
  EXPECT_THAT(DecodeValues(type, Encoding::kPlain, data, count, nullptr, budget, out), IsOk());
  std::vector<std::string> texts;
  for (size_t i = 0; i < out.size(); ++i) texts.emplace_back(out.at(i));
  return texts;
}

LeafType Timestamp(int16_t unit, bool utc) {
  return LeafType{PhysicalType::kInt64, 0, std::nullopt, kLogicalTimestamp, 0, unit, utc};
}

// 2024-03-01T13:45:00.25 UTC in milliseconds since the epoch.
constexpr int64_t kMillis = 1709300700250;

TEST(TemporalValuesTest, TimestampsInEachUnit) {
  EXPECT_THAT(Decode(Timestamp(kTimeUnitMillis, false), PlainValues<int64_t>({kMillis, 0, -1}), 3),
              ElementsAre(R"("2024-03-01T13:45:00.25")", R"("1970-01-01T00:00:00")", R"("1969-12-31T23:59:59.999")"));
  EXPECT_THAT(Decode(Timestamp(kTimeUnitMicros, true), PlainValues<int64_t>({kMillis * 1000 + 1}), 1),
              ElementsAre(R"("2024-03-01T13:45:00.250001Z")"));
  EXPECT_THAT(Decode(Timestamp(kTimeUnitNanos, false), PlainValues<int64_t>({kMillis * 1000000 + 7, -1}), 2),
              ElementsAre(R"("2024-03-01T13:45:00.250000007")", R"("1969-12-31T23:59:59.999999999")"));
}

TEST(TemporalValuesTest, LegacyConvertedTimestampsAreUtc) {
  const LeafType micros{PhysicalType::kInt64, 0, kConvertedTimestampMicros, 0, 0, 0, false};
  EXPECT_THAT(Decode(micros, PlainValues<int64_t>({kMillis * 1000}), 1), ElementsAre(R"("2024-03-01T13:45:00.25Z")"));
}

TEST(TemporalValuesTest, DatesAndTimes) {
  const LeafType date{PhysicalType::kInt32, 0, std::nullopt, kLogicalDate, 0, 0, false};
  EXPECT_THAT(Decode(date, PlainValues<int32_t>({19783, -1}), 2), ElementsAre(R"("2024-03-01")", R"("1969-12-31")"));
  const LeafType time_millis{PhysicalType::kInt32, 0, std::nullopt, kLogicalTime, 0, kTimeUnitMillis, false};
  EXPECT_THAT(Decode(time_millis, PlainValues<int32_t>({(13 * 3600 + 45 * 60) * 1000 + 5}), 1),
              ElementsAre(R"("13:45:00.005")"));
  const LeafType time_micros{PhysicalType::kInt64, 0, kConvertedTimeMicros, 0, 0, 0, false};
  EXPECT_THAT(Decode(time_micros, PlainValues<int64_t>({1000000}), 1), ElementsAre(R"("00:00:01Z")"));
}

// INT96: nanoseconds within the day (8 bytes), then the Julian day (4 bytes).
std::string Int96(int64_t nanos_of_day, int32_t julian_day) {
  std::string out(12, '\0');
  std::memcpy(out.data(), &nanos_of_day, 8);
  std::memcpy(out.data() + 8, &julian_day, 4);
  return out;
}

const int64_t kNanosOfDay = (13 * 3600 + 45 * 60) * 1000000000LL + 250000000;

TEST(TemporalValuesTest, Int96Timestamps) {
  const LeafType int96{PhysicalType::kInt96, 0, std::nullopt, 0, 0, 0, false};
  EXPECT_THAT(Decode(int96, Int96(kNanosOfDay, 2460371) + Int96(86399999999999, 2440587) + Int96(0, 2415019), 3),
              ElementsAre(R"("2024-03-01T13:45:00.25")", R"("1969-12-31T23:59:59.999999999")", R"("1899-12-30T00:00:00")"));
}

// A Parquet file with one required INT96 column, as Spark writes timestamps: three rows.
std::string Int96File() {
  const std::string values = Int96(kNanosOfDay, 2460371) + Int96(86399999999999, 2440587) + Int96(0, 2415019);
  PageHeader page;
  page.type = PageType::kDataPage;
  page.uncompressed_page_size = static_cast<int32_t>(values.size());
  page.compressed_page_size = static_cast<int32_t>(values.size());
  page.data_page = DataPageHeader{3, Encoding::kPlain, Encoding::kRle, Encoding::kRle};
  ThriftWriter page_thrift;
  WritePageHeader(page, page_thrift);
  std::string file = "PAR1";
  const int64_t chunk_offset = static_cast<int64_t>(file.size());
  file += page_thrift.bytes() + values;

  FileMetaData meta;
  SchemaElement root;
  root.name = "spark_schema";
  root.num_children = 1;
  SchemaElement ts;
  ts.type = PhysicalType::kInt96;
  ts.repetition = Repetition::kRequired;
  ts.name = "ts";
  meta.schema = {root, ts};
  meta.num_rows = 3;
  ColumnMetaData column;
  column.type = PhysicalType::kInt96;
  column.encodings = {Encoding::kPlain};
  column.path_in_schema = {"ts"};
  column.num_values = 3;
  column.total_uncompressed_size = static_cast<int64_t>(file.size()) - chunk_offset;
  column.total_compressed_size = column.total_uncompressed_size;
  column.data_page_offset = chunk_offset;
  RowGroup group;
  group.num_rows = 3;
  group.total_byte_size = column.total_uncompressed_size;
  group.columns.push_back(ColumnChunk{chunk_offset, column});
  meta.row_groups.push_back(group);
  meta.created_by = "tunepack temporal_values_test";
  ThriftWriter footer;
  WriteFileMetaData(meta, footer);
  const uint32_t length = static_cast<uint32_t>(footer.bytes().size());
  file += footer.bytes();
  file.append(reinterpret_cast<const char*>(&length), 4);
  file += "PAR1";
  return file;
}

TEST(TemporalValuesTest, Int96FileReadsAsIsoTimestamps) {
  const std::string bytes = Int96File();
  auto reader = ParquetReader::Open(MemoryFile(bytes), {});
  ASSERT_THAT(reader, IsOk());
  EXPECT_EQ((*reader)->schema().children.at(0).kind, FieldKind::kString);
  std::vector<std::string> records;
  ASSERT_THAT((*reader)->ReadRowGroup(0, records), IsOk());
  EXPECT_THAT(records, ElementsAre(R"({"ts":"2024-03-01T13:45:00.25"})", R"({"ts":"1969-12-31T23:59:59.999999999"})",
                                   R"({"ts":"1899-12-30T00:00:00"})"));
  // The parity test has DuckDB read this file (tests/data/parquet/int96.parquet): it is
  // these bytes. TP_WRITE_FIXTURES=1 rewrites it after a deliberate change.
  const std::string fixture = std::string(TP_SOURCE_DIR) + "/tests/data/parquet/int96.parquet";
  if (std::getenv("TP_WRITE_FIXTURES")) std::ofstream(fixture, std::ios::binary) << bytes;
  std::ifstream in(fixture, std::ios::binary);
  std::stringstream stored;
  stored << in.rdbuf();
  EXPECT_EQ(stored.str(), bytes) << fixture << " is not what this test writes";
}

}  // namespace
}  // namespace tunepack::parquet::internal
