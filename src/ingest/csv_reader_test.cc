#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/record_test_util.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;

TEST(CsvReaderTest, HeaderGivesKeysAndRowsBecomeObjectsOfStrings) {
  const auto records = ReadAllRecords("csv", "name,age\nAda,36\nAlan,41\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"name":"Ada","age":"36"})");
  EXPECT_EQ(records[0].line, 2u);
  EXPECT_EQ(records[1].text, R"({"name":"Alan","age":"41"})");
  EXPECT_EQ(records[1].line, 3u);
}

TEST(CsvReaderTest, QuotedFieldsWithSeparatorsQuotesAndNewlines) {
  const std::string input =
      "q,a\r\n"
      "\"Hello, world\",\"He said \"\"hi\"\"\"\r\n"
      "\"line one\nline two\",\"\"\r\n"
      "next,row\r\n";
  for (size_t step : {size_t{0}, size_t{1}, size_t{5}}) {
    const auto records = ReadAllRecords("csv", input, {}, 1 << 20, step);
    ASSERT_EQ(records.size(), 3u) << "step " << step;
    EXPECT_EQ(records[0].text, R"({"q":"Hello, world","a":"He said \"hi\""})");
    EXPECT_EQ(records[1].text, R"({"q":"line one\nline two","a":""})");
    EXPECT_EQ(records[1].line, 3u);
    EXPECT_EQ(records[2].text, R"({"q":"next","a":"row"})");
    EXPECT_EQ(records[2].line, 5u);  // the quoted newline advanced the line count
  }
}

TEST(CsvReaderTest, LastRowWithoutNewlineAndBlankLinesSkipped) {
  const auto records = ReadAllRecords("csv", "a\n\n1\n\n\n2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"a":"1"})");
  EXPECT_EQ(records[0].line, 3u);
  EXPECT_EQ(records[1].text, R"({"a":"2"})");
  EXPECT_EQ(records[1].line, 6u);
}

TEST(CsvReaderTest, WrongFieldCountIsARowErrorWithColumn) {
  const auto records = ReadAllRecords("csv", "a,b\n1,2,3\n4\n5,6\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].error, "row has 3 fields, the header has 2");
  EXPECT_EQ(records[0].line, 2u);
  EXPECT_EQ(records[0].column, 5u);  // where the extra field starts
  EXPECT_EQ(records[1].error, "row has 1 fields, the header has 2");
  EXPECT_EQ(records[1].line, 3u);
  EXPECT_EQ(records[1].column, 2u);  // the end of the short row
  EXPECT_EQ(records[2].text, R"({"a":"5","b":"6"})");
}

TEST(CsvReaderTest, UnterminatedQuoteIsAnErrorNamingWhereItOpened) {
  const auto records = ReadAllRecords("csv", "a,b\n1,2\nx,\"never closed\nmore\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"a":"1","b":"2"})");
  EXPECT_THAT(records[1].error, HasSubstr("unterminated quoted field starting at line 3"));
  EXPECT_EQ(records[1].line, 3u);
  EXPECT_EQ(records[1].column, 3u);
}

TEST(CsvReaderTest, CharacterAfterClosingQuoteIsAnError) {
  const auto records = ReadAllRecords("csv", "a,b\n\"x\"y,2\nok,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].error, "unexpected character after a closing quote");
  EXPECT_EQ(records[0].column, 4u);
  EXPECT_EQ(records[1].text, R"({"a":"ok","b":"3"})");
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  const auto records = ReadAllRecords("csv", "a\n5\" disk\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, R"({"a":"5\" disk"})");
}

TEST(CsvReaderTest, HeaderNamesAreMadeUniqueAndNonEmpty) {
  const auto records = ReadAllRecords("csv", "\xEF\xBB\xBFname,,name\n1,2,3\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, R"({"name":"1","column_2":"2","name_2":"3"})");
}

TEST(CsvReaderTest, OnlyAHeaderMeansNoRecords) {
  EXPECT_TRUE(ReadAllRecords("csv", "a,b\n").empty());
  EXPECT_TRUE(ReadAllRecords("csv", "").empty());
}

TEST(CsvReaderTest, OversizeRowIsSkippedWithError) {
  RecordReaderOptions options;
  options.max_record_bytes = 10;
  const auto records =
      ReadAllRecords("csv", "a,b\n" + std::string(100, 'x') + ",\"y\ny\"\n1,2\n", options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].error, "record exceeds 10 bytes");
  EXPECT_EQ(records[0].line, 2u);
  EXPECT_EQ(records[1].text, R"({"a":"1","b":"2"})");
  EXPECT_EQ(records[1].line, 4u);
}

TEST(CsvReaderTest, InvalidUtf8FollowsThePolicy) {
  const std::string input = "a\ncaf\xE9\n";
  const auto replaced = ReadAllRecords("csv", input);
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].text, "{\"a\":\"caf\xEF\xBF\xBD\"}");
  RecordReaderOptions fail;
  fail.csv_invalid_utf8 = InvalidUtf8Policy::kFail;
  const auto failed = ReadAllRecords("csv", input, fail);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].error, "invalid UTF-8 in field 'a'");
}

TEST(CsvReaderTest, TabDelimiter) {
  RecordReaderOptions options;
  options.csv_delimiter = '\t';
  const auto records = ReadAllRecords("csv", "a\tb\n1,5\t2\n", options);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, R"({"a":"1,5","b":"2"})");
}

TEST(CsvReaderTest, OldMacLineEndings) {
  const auto records = ReadAllRecords("csv", "a\r1\r2\r");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].text, R"({"a":"2"})");
  EXPECT_EQ(records[1].line, 3u);
}

}  // namespace
}  // namespace tunepack::ingest
