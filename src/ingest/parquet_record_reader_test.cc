#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/record_test_util.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;

std::string ParquetOf(const std::vector<std::string>& records, size_t row_group_bytes = 1 << 20) {
  parquet::StringOutput out;
  parquet::WriterOptions options;
  options.row_group_bytes = row_group_bytes;
  auto writer = parquet::ParquetWriter::Create(out, options);
  for (const std::string& r : records) EXPECT_TRUE((*writer)->Write(r).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  return out.bytes;
}

TEST(ParquetRecordReaderTest, RowsBecomeRecordsNumberedFromOne) {
  std::vector<std::string> input;
  for (int i = 0; i < 50; ++i) {
    input.push_back(R"({"messages":[{"role":"user","content":"q)" + std::to_string(i) +
                    R"("},{"role":"assistant","content":"a"}]})");
  }
  // Small row groups and small batches: records cross both boundaries.
  for (size_t step : {size_t{0}, size_t{7}}) {
    const auto records = ReadAllRecords("parquet", ParquetOf(input, 300), {}, 200, step);
    ASSERT_EQ(records.size(), input.size());
    for (size_t i = 0; i < input.size(); ++i) {
      EXPECT_EQ(records[i].text, input[i]);
      EXPECT_EQ(records[i].line, i + 1);
    }
  }
}

TEST(ParquetRecordReaderTest, NullValuesStayFieldsOfTheRecord) {
  // A null must not make a field vanish: it is read as JSON null, as DuckDB reads it, so
  // Parquet -> JSONL -> Parquet keeps the column.
  const std::string bytes = ParquetOf({R"({"text":"hi","note":null,"meta":{"lang":null,"n":1}})",
                                       R"({"text":null,"note":"n","meta":null})"});
  const auto records = ReadAllRecords("parquet", bytes, {}, 1 << 20, 0);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"text":"hi","note":null,"meta":{"lang":null,"n":1}})");
  EXPECT_EQ(records[1].text, R"({"text":null,"note":"n","meta":null})");
}

TEST(ParquetRecordReaderTest, AStreamLargerThanItsRowGroupsIsSpooledNotHeld) {
  // Many row groups arriving in small reads (a stream, as from a decompressor): read back
  // in order from the spooled file.
  std::vector<std::string> input;
  for (int i = 0; i < 2000; ++i) input.push_back(R"({"n":)" + std::to_string(i) + "}");
  const auto records = ReadAllRecords("parquet", ParquetOf(input, 1000), {}, 4096, 3);
  ASSERT_EQ(records.size(), input.size());
  for (size_t i = 0; i < input.size(); ++i) EXPECT_EQ(records[i].text, input[i]);
}

TEST(ParquetRecordReaderTest, DetectedByMagicWhateverTheExtension) {
  const std::string bytes = ParquetOf({R"({"text":"hi"})"});
  for (const char* name : {"data.parquet", "data.bin", "data"}) {
    const InputType type = DetectInputType(name, bytes);
    EXPECT_EQ(type.kind, InputKind::kRecords) << name;
    EXPECT_EQ(type.reader, "parquet") << name;
  }
}

TEST(ParquetRecordReaderTest, CorruptFileIsAnErrorNamingWhere) {
  std::string bytes = ParquetOf({R"({"text":"hi"})"});
  bytes.resize(bytes.size() - 3);
  auto reader = OpenRecordReader("parquet", StringByteSource(bytes));
  ASSERT_TRUE(reader.ok());
  RecordBatch batch;
  Result<bool> more = (*reader)->Next(batch, 1 << 20);
  ASSERT_FALSE(more.ok());
  EXPECT_THAT(more.error().message(), HasSubstr("Parquet: "));
}

}  // namespace
}  // namespace tunepack::ingest
