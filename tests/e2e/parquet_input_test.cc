// Every reading command reads Parquet files as records: convert, export, stats, validate,
// pack. The files are written with tunepack's Parquet writer (checked against DuckDB and
// hyparquet by the parquet_reader_parity test).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

const char kChat[] =
    R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi\nthere ✓"},{"role":"assistant","content":"Hello \"friend\" é"}]})" "\n"
    R"({"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":"and 3+3?"},{"role":"assistant","content":"6"}]})" "\n";

// Writes the JSON Lines `records` as a Parquet file at `path`.
void WriteParquet(const std::string& path, const std::string& records) {
  parquet::StringOutput out;
  auto writer = parquet::ParquetWriter::Create(out, {});
  ASSERT_TRUE(writer.ok());
  size_t start = 0;
  while (start < records.size()) {
    const size_t end = records.find('\n', start);
    ASSERT_TRUE((*writer)->Write(std::string_view(records).substr(start, end - start)).ok());
    start = end + 1;
  }
  ASSERT_TRUE((*writer)->Close().ok());
  WriteFile(path, out.bytes);
}

TEST(ParquetInputTest, ConvertReadsParquetRecordsAsTheJsonlTheyCameFrom) {
  TempDir tmp;
  const std::string input = (tmp / "chat.parquet").string();
  WriteParquet(input, kChat);
  auto result = RunShell("tunepack convert '" + input + "' --to openai -o '" + (tmp / "out").string() +
                         "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(ReadFile((tmp / "out" / "train.jsonl").string()), kChat);
}

TEST(ParquetInputTest, StatsValidateAndPackReadParquet) {
  TempDir tmp;
  const std::string input = (tmp / "chat.parquet").string();
  WriteParquet(input, kChat);
  auto stats = RunShell("tunepack stats '" + input + "' 2>&1");
  EXPECT_EQ(stats.exit_code, 0) << stats.out;
  EXPECT_THAT(stats.out, HasSubstr("(openai, 2 records)"));
  auto validate = RunShell("tunepack validate '" + input + "' 2>&1");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_THAT(validate.out, HasSubstr("2 records checked as openai: 0 errors"));

  const std::string texts = (tmp / "texts.parquet").string();
  WriteParquet(texts, "{\"input_ids\":[1,2,3]}\n{\"input_ids\":[4,5]}\n");
  auto pack = RunShell("tunepack pack '" + texts + "' -o '" + (tmp / "packed.jsonl").string() + "' --seq-len 8 2>&1");
  EXPECT_EQ(pack.exit_code, 0) << pack.out;
  EXPECT_THAT(ReadFile((tmp / "packed.jsonl").string()), HasSubstr("\"input_ids\":[1,2,3,4,5]"));
}

TEST(ParquetInputTest, CorruptParquetIsRejectedWithItsReason) {
  TempDir tmp;
  const std::string input = (tmp / "bad.parquet").string();
  WriteFile(input, std::string("PAR1") + std::string(100, 'x') + "PAR1");
  auto result = RunShell("tunepack convert '" + input + "' --to openai -o '" + (tmp / "out").string() +
                         "' --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const std::string rejected = ReadFile((tmp / "out" / "rejected.jsonl").string());
  EXPECT_THAT(rejected, HasSubstr("unreadable"));
  EXPECT_THAT(rejected, HasSubstr("Parquet: footer length"));
}

}  // namespace
}  // namespace tunepack
