#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/record_test_util.h"
#include "support/status_matchers.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

TEST(JsonReaderTest, ArrayElementsAreMinifiedWithTheirLines) {
  const std::string input =
      "[\n"
      "  {\"a\": 1, \"s\": \"two  words\"},\n"
      "  {\n"
      "    \"b\": [1, 2, {\"c\": null}]\n"
      "  }\n"
      "]\n";
  const auto records = ReadAllRecords("json", input);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"a":1,"s":"two  words"})");
  EXPECT_EQ(records[0].line, 2u);
  EXPECT_EQ(records[1].text, R"({"b":[1,2,{"c":null}]})");
  EXPECT_EQ(records[1].line, 3u);
}

TEST(JsonReaderTest, OneObjectIsOneRecord) {
  const auto records = ReadAllRecords("json", "\xEF\xBB\xBF\n{ \"a\" : \"x\\\"y\" }\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, R"({"a":"x\"y"})");
  EXPECT_EQ(records[0].line, 2u);
}

TEST(JsonReaderTest, EmptyFileAndEmptyArrayHaveNoRecords) {
  EXPECT_TRUE(ReadAllRecords("json", "").empty());
  EXPECT_TRUE(ReadAllRecords("json", " [ ] ").empty());
}

TEST(JsonReaderTest, NonObjectsAndInvalidElementsAreErrorsOthersSurvive) {
  const auto records = ReadAllRecords("json", "[{\"a\":1}, 2,\n {\"a\":tru}, {\"a\":3}]");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].text, R"({"a":1})");
  EXPECT_EQ(records[1].error, "record is not a JSON object");
  EXPECT_EQ(records[1].column, 11u);
  EXPECT_THAT(records[2].error, HasSubstr("invalid JSON"));
  EXPECT_EQ(records[2].line, 2u);
  EXPECT_EQ(records[2].column, 2u);
  EXPECT_EQ(records[3].text, R"({"a":3})");
}

TEST(JsonReaderTest, StructuralErrorsEndTheFileWithAnErrorRecord) {
  auto records = ReadAllRecords("json", "[{\"a\":1},\n{\"a\":\"unterminated}]");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text, R"({"a":1})");
  EXPECT_EQ(records[1].error, "unterminated string");

  records = ReadAllRecords("json", "[{\"a\":1}");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].error, "unterminated JSON array");

  records = ReadAllRecords("json", "[{\"a\":1]}]");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].error, "mismatched ']'");
  EXPECT_EQ(records[0].column, 8u);

  records = ReadAllRecords("json", "{\"a\":1} trailing");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].error, "unexpected content after the JSON value");
}

TEST(JsonReaderTest, TopLevelScalarIsAnError) {
  auto reader = OpenRecordReader("json", StringByteSource("\n  42"));
  ASSERT_TRUE(reader.ok());
  RecordBatch batch;
  EXPECT_THAT((*reader)->Next(batch, 100),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 2, column 3")));
}

TEST(JsonReaderTest, OversizeElementIsAnError) {
  RecordReaderOptions options;
  options.max_record_bytes = 12;
  const auto records =
      ReadAllRecords("json", "[{\"a\":\"" + std::string(50, 'x') + "\"},{\"a\":1}]", options);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].error, "record exceeds 12 bytes");
  EXPECT_EQ(records[1].text, R"({"a":1})");
}

TEST(JsonReaderTest, DeepNestingDoesNotOverflowTheStack) {
  const std::string deep = "[" + std::string(200000, '[') + std::string(200000, ']') + "]";
  const auto records = ReadAllRecords("json", deep);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].error.empty());
}

TEST(JsonReaderTest, SmallBatchesCoverAllElements) {
  std::string input = "[";
  for (int i = 0; i < 100; ++i) input += (i ? "," : "") + std::string("{\"i\":") + std::to_string(i) + "}";
  input += "]";
  const auto records = ReadAllRecords("json", input, {}, 10);
  ASSERT_EQ(records.size(), 100u);
  EXPECT_EQ(records[99].text, R"({"i":99})");
}

}  // namespace
}  // namespace tunepack::ingest
