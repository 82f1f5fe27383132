#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "ingest/record_test_util.h"
#include "support/param_name.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

std::string Fixture(const std::string& name) {
  return ::tunepack::testing::ReadFile(std::filesystem::path(TP_SOURCE_DIR) / "tests/data/ingest" /
                                       name);
}

// Returns everything `source` yields, or the first error.
Result<std::string> Drain(ByteSource& source) {
  std::string out;
  char buffer[7];  // small reads cross every internal boundary
  while (true) {
    TP_ASSIGN_OR_RETURN(size_t got, source.Read(buffer, sizeof(buffer)));
    if (got == 0) return out;
    out.append(buffer, got);
  }
}

struct Case {
  const char* file;
  const char* expected;
  const char* encoding;
};

class DecodingSourceTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecodingSourceTest, YieldsTheOriginalUtf8) {
  const Case& c = GetParam();
  for (size_t step : {size_t{1}, size_t{3}, size_t{1} << 20}) {
    std::string encoding;
    auto source = OpenDecodingSource(std::make_unique<TrickleSource>(Fixture(c.file), step),
                                     InvalidUtf8Policy::kFail, &encoding);
    ASSERT_THAT(source, IsOk());
    EXPECT_EQ(encoding, c.encoding);
    Result<std::string> text = Drain(**source);
    ASSERT_THAT(text, IsOk());
    EXPECT_EQ(*text, Fixture(c.expected)) << "step " << step;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DecodingSourceTest,
    ::testing::Values(Case{"utf8_bom.txt", "expected_latin.txt", "UTF-8"},
                      Case{"expected_ja.txt", "expected_ja.txt", "UTF-8"},
                      Case{"utf16le_bom.txt", "expected_latin.txt", "UTF-16LE"},
                      Case{"utf16be_bom.txt", "expected_ja.txt", "UTF-16BE"},
                      Case{"cp1252.txt", "expected_latin.txt", "WINDOWS-1252"},
                      Case{"shift_jis.txt", "expected_ja.txt", "SHIFT_JIS"},
                      Case{"gb18030.txt", "expected_zh.txt", "GB18030"}),
    [](const ::testing::TestParamInfo<Case>& info) { return testing::ParamName(info.param.file); });

TEST(DecodingSourceTest, Utf16JsonlFeedsTheJsonlReader) {
  // What PowerShell's Out-File writes by default: UTF-16LE with a BOM, CRLF line ends.
  const std::u16string records = u"{\"q\":\"caf\u00e9\"}\r\n{\"q\":\"\u6771\u4eac\"}\r\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t unit : records) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>(unit >> 8));
  }
  auto source = OpenDecodingSource(StringByteSource(bytes), InvalidUtf8Policy::kFail);
  ASSERT_THAT(source, IsOk());
  auto reader = OpenRecordReader("jsonl", std::move(*source));
  ASSERT_THAT(reader, IsOk());
  RecordBatch batch;
  Result<bool> more = (*reader)->Next(batch, 1 << 20);
  ASSERT_TRUE(more.ok() && *more);
  ASSERT_EQ(batch.records.size(), 2u);
  EXPECT_EQ(batch.buffer.substr(batch.records[0].begin, batch.records[0].size),
            "{\"q\":\"caf\xC3\xA9\"}");
  EXPECT_EQ(batch.buffer.substr(batch.records[1].begin, batch.records[1].size),
            "{\"q\":\"\xE6\x9D\xB1\xE4\xBA\xAC\"}");
  EXPECT_EQ(batch.records[1].line, 2u);
}

TEST(DecodingSourceTest, ShiftJisCsvBecomesUtf8Records) {
  const std::string csv = "name,city\n" + std::string("\x93\x63\x92\x86,\x93\x8C\x8B\x9E\n") +
                          "\x8D\xB2\x93\xA1,\x91\xE5\x8D\xE3\n";  // 田中,東京 / 佐藤,大阪
  // Too short for detection to be sure, so the charset is helped by a longer sample.
  const std::string sample = csv + std::string(Fixture("shift_jis.txt"));
  auto source = OpenDecodingSource(StringByteSource(sample), InvalidUtf8Policy::kFail);
  ASSERT_THAT(source, IsOk());
  Result<std::string> text = Drain(**source);
  ASSERT_THAT(text, IsOk());
  const std::string expected =
      "name,city\n\xE7\x94\xB0\xE4\xB8\xAD,\xE6\x9D\xB1\xE4\xBA\xAC\n"
      "\xE4\xBD\x90\xE8\x97\xA4,\xE5\xA4\xA7\xE9\x98\xAA\n";
  EXPECT_EQ(text->substr(0, expected.size()), expected);
}

TEST(DecodingSourceTest, InvalidSequenceUnderFailNamesTheByte) {
  // A UTF-16LE file whose last unit is a lone high surrogate.
  const std::string bytes("\xFF\xFE" "a\0b\0" "\x00\xD8" "c\0", 10);
  auto source = OpenDecodingSource(StringByteSource(bytes), InvalidUtf8Policy::kFail);
  ASSERT_THAT(source, IsOk());
  EXPECT_THAT(Drain(**source), StatusIs(StatusCode::kDataLoss, HasSubstr("at byte 6")));

  auto replacing = OpenDecodingSource(StringByteSource(bytes), InvalidUtf8Policy::kReplace);
  ASSERT_THAT(replacing, IsOk());
  Result<std::string> text = Drain(**replacing);
  ASSERT_THAT(text, IsOk());
  EXPECT_EQ(*text, "ab\xEF\xBF\xBD" "c");
}

TEST(DecodingSourceTest, EmptyInput) {
  auto source = OpenDecodingSource(StringByteSource(""), InvalidUtf8Policy::kFail);
  ASSERT_THAT(source, IsOk());
  EXPECT_EQ(*Drain(**source), "");
}

}  // namespace
}  // namespace tunepack::ingest

namespace tunepack::ingest {
namespace {

TEST(DecodingSourceIconvTest, JohabRecordsAreRefusedWithWhatToDo) {
  // "파일을 열 수 없습니다" in Johab: only iconv decodes it, and not as a stream.
  const std::string johab = "\xCC" "a\xB7\xA9\xB7i \xB5i \xAE\x81 \xB4\xF4\xAFs\x93\xA1\x94" "a\n";
  std::string encoding;
  auto source = OpenDecodingSource(std::make_unique<TrickleSource>(johab, 4),
                                   InvalidUtf8Policy::kReplace, &encoding);
  EXPECT_EQ(encoding, "JOHAB");
  EXPECT_THAT(source, StatusIs(StatusCode::kUnimplemented, HasSubstr("iconv -f JOHAB -t UTF-8")));
}

}  // namespace
}  // namespace tunepack::ingest
