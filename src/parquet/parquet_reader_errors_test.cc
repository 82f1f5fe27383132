// Bad files give errors that name the file (and row group and column), never a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

using ::testing::HasSubstr;

std::string SmallFile(Compression compression) {
  StringOutput out;
  WriterOptions options;
  options.compression = compression;
  auto writer = ParquetWriter::Create(out, options);
  for (int i = 0; i < 20; ++i) {
    (void)(*writer)->Write(R"({"messages": [{"role": "user", "content": "hello )" + std::to_string(i) +
                           R"("}, {"role": "assistant", "content": "hi"}], "n": )" + std::to_string(i) + "}");
  }
  (void)(*writer)->Close();
  return out.bytes;
}

// Opens and reads everything; returns the first error.
Status ReadEverything(const std::string& bytes) {
  ReaderOptions options;
  options.display_name = "bad.parquet";
  options.max_row_group_bytes = 64 << 20;
  auto reader = ParquetReader::Open(MemoryFile(bytes), options);
  if (!reader.ok()) return reader.error();
  std::vector<std::string> records;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) TP_RETURN_IF_ERROR((*reader)->ReadRowGroup(g, records));
  return Status::Ok();
}

TEST(ParquetReaderErrorsTest, NotParquet) {
  EXPECT_THAT(ReadEverything("hello"), StatusIs(StatusCode::kDataLoss, HasSubstr("bad.parquet: too short")));
  EXPECT_THAT(ReadEverything("PAR1xxxxxxxxxxxxxxxxxxxPAR2"), StatusIs(StatusCode::kDataLoss, HasSubstr("no PAR1 magic")));
}

TEST(ParquetReaderErrorsTest, TruncatedFileNamesTheFooter) {
  const std::string bytes = SmallFile(Compression::kSnappy);
  EXPECT_THAT(ReadEverything(bytes.substr(0, bytes.size() - 1)), StatusIs(StatusCode::kDataLoss, HasSubstr("bad.parquet")));
}

TEST(ParquetReaderErrorsTest, CorruptPageNamesRowGroupAndColumn) {
  std::string bytes = SmallFile(Compression::kNone);
  // The first column chunk starts right after the magic; garble its page body.
  for (size_t i = 30; i < 60; ++i) bytes[i] = '\xFF';
  const Status status = ReadEverything(bytes);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("bad.parquet: row group 0, column 'messages.list.element.role'"));
}

// Every single-byte change and every truncation gives a result or an error, never a crash
// (run under ASan by the fuzz target; here the same loop keeps CI honest).
TEST(ParquetReaderErrorsTest, EveryByteFlipIsSurvived) {
  for (Compression c : {Compression::kNone, Compression::kSnappy, Compression::kZstd, Compression::kGzip}) {
    const std::string good = SmallFile(c);
    ASSERT_THAT(ReadEverything(good), IsOk());
    for (size_t i = 0; i < good.size(); ++i) {
      for (char flip : {'\x01', '\x80', '\xFF'}) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ flip);
        (void)ReadEverything(bad);
      }
      (void)ReadEverything(good.substr(0, i));
    }
  }
}

}  // namespace
}  // namespace tunepack::parquet
