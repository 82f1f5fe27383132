// Records written with ParquetWriter read back with ParquetReader as they were (a field
// missing from a record reads back as null: Parquet cannot tell the two apart).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/status_matchers.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

Json WithoutNulls(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) {
      if (!item.is_null()) out[key] = WithoutNulls(item);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(WithoutNulls(item));
    return out;
  }
  return value;
}

std::string WriteAll(const std::vector<std::string>& records, const WriterOptions& options) {
  StringOutput out;
  auto writer = ParquetWriter::Create(out, options);
  EXPECT_THAT(writer, IsOk());
  for (const std::string& record : records) EXPECT_THAT((*writer)->Write(record), IsOk()) << record;
  EXPECT_THAT((*writer)->Close(), IsOk());
  EXPECT_EQ((*writer)->bytes_written(), out.bytes.size());
  return out.bytes;
}

std::vector<std::string> ReadAll(const std::string& bytes, size_t* groups = nullptr) {
  auto reader = ParquetReader::Open(MemoryFile(bytes), {});
  EXPECT_THAT(reader, IsOk());
  if (!reader.ok()) return {};
  std::vector<std::string> records;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) {
    EXPECT_THAT((*reader)->ReadRowGroup(g, records), IsOk());
  }
  EXPECT_EQ(static_cast<int64_t>(records.size()), (*reader)->num_rows());
  if (groups) *groups = (*reader)->num_row_groups();
  return records;
}

void ExpectSameRecords(const std::vector<std::string>& written, const std::vector<std::string>& read) {
  ASSERT_EQ(written.size(), read.size());
  for (size_t i = 0; i < written.size(); ++i) {
    EXPECT_EQ(WithoutNulls(Json::parse(written[i])), WithoutNulls(Json::parse(read[i]))) << "record " << i << ": " << read[i];
  }
}

std::vector<std::string> ChatRecords(size_t n) {
  std::vector<std::string> records;
  for (size_t i = 0; i < n; ++i) {
    Json r;
    r["messages"] = Json::array();
    if (i % 3 == 0) r["messages"].push_back({{"role", "system"}, {"content", "Be brief. ✓"}});
    r["messages"].push_back({{"role", "user"}, {"content", "Question " + std::to_string(i) + " — 日本語?"}});
    Json reply = {{"role", "assistant"}, {"content", std::string(i % 5, 'x') + "\"quoted\"\n"}};
    if (i % 4 == 1) reply["weight"] = 0;
    if (i % 7 == 2) reply["tool_calls"] = Json::array({{{"id", "c1"}, {"type", "function"}, {"function", {{"name", "f"}, {"arguments", "{\"a\":1}"}}}}});
    r["messages"].push_back(reply);
    if (i % 2 == 0) r["id"] = static_cast<int64_t>(i) * 1000000007;
    r["score"] = i % 3 == 0 ? Json(0.25 * static_cast<double>(i)) : Json(static_cast<int64_t>(i));
    r["ok"] = i % 2 == 0;
    if (i % 5 == 0) r["tags"] = Json::array();
    else r["tags"] = Json::array({"a", i % 2 ? "b" : "c"});
    if (i % 6 == 0) r["note"] = nullptr;
    records.push_back(r.dump());
  }
  return records;
}

TEST(ParquetRoundTripTest, NestedChatRecordsInEveryCompression) {
  const std::vector<std::string> records = ChatRecords(300);
  for (Compression c : {Compression::kNone, Compression::kSnappy, Compression::kZstd, Compression::kGzip}) {
    WriterOptions options;
    options.compression = c;
    ExpectSameRecords(records, ReadAll(WriteAll(records, options)));
  }
}

TEST(ParquetRoundTripTest, ManyRowGroupsAndPagesWithoutDictionary) {
  const std::vector<std::string> records = ChatRecords(500);
  WriterOptions options;
  options.row_group_bytes = 4000;
  options.page_bytes = 300;
  options.dictionary = false;
  size_t groups = 0;
  ExpectSameRecords(records, ReadAll(WriteAll(records, options), &groups));
  EXPECT_GT(groups, 10u);
}

TEST(ParquetRoundTripTest, SameRecordsGiveSameBytes) {
  const std::vector<std::string> records = ChatRecords(100);
  WriterOptions options;
  options.row_group_bytes = 5000;
  EXPECT_EQ(WriteAll(records, options), WriteAll(records, options));
}

TEST(ParquetRoundTripTest, MixedTypesAreKeptAsJsonText) {
  const std::vector<std::string> records = {
      R"({"x": 1, "y": {"a": 1}, "z": null, "e": {}, "l": [1, "two", [3]], "big": 18446744073709551615})",
      R"({"x": "one", "y": [1], "z": null, "e": {}, "l": [], "big": 1})",
      R"({"x": {"deep": [true, null]}, "y": "s", "z": null, "e": {}, "l": [null], "big": -1})",
  };
  const std::string bytes = WriteAll(records, {});
  ExpectSameRecords(records, ReadAll(bytes));
  auto reader = ParquetReader::Open(MemoryFile(bytes), {});
  ASSERT_THAT(reader, IsOk());
  const Field& schema = (*reader)->schema();
  ASSERT_EQ(schema.children.size(), 6u);
  EXPECT_EQ(schema.children[0].kind, FieldKind::kJson);
  EXPECT_EQ(schema.children[4].kind, FieldKind::kList);
  EXPECT_EQ(schema.children[4].children[0].kind, FieldKind::kJson);
}

TEST(ParquetRoundTripTest, NullsAreReadAsJsonNull) {
  // A null value is a field of the record (as DuckDB and hyparquet read it), at the top
  // level, inside a struct, as a list element and as a list itself.
  const std::string bytes = WriteAll({R"({"a": "x", "b": 1, "s": {"k": 1, "v": "y"}, "l": [1, 2]})",
                                      R"({"a": null, "s": {"k": null, "v": "z"}, "l": [null, 3]})",
                                      R"({"a": "w", "s": null, "l": null})"},
                                     {});
  EXPECT_THAT(ReadAll(bytes), ::testing::ElementsAre(R"({"a":"x","b":1,"s":{"k":1,"v":"y"},"l":[1,2]})",
                                                     R"({"a":null,"b":null,"s":{"k":null,"v":"z"},"l":[null,3]})",
                                                     R"({"a":"w","b":null,"s":null,"l":null})"));
}

TEST(ParquetRoundTripTest, NullsCanBeLeftOutOnRequest) {
  const std::string bytes = WriteAll({R"({"a": "x", "b": 1})", R"({"a": null})"}, {});
  ReaderOptions options;
  options.omit_nulls = true;
  auto reader = ParquetReader::Open(MemoryFile(bytes), options);
  ASSERT_THAT(reader, IsOk());
  std::vector<std::string> records;
  ASSERT_THAT((*reader)->ReadRowGroup(0, records), IsOk());
  EXPECT_EQ(records[1], R"({})");
}

TEST(ParquetRoundTripTest, AfterTheFirstRowGroupTheSchemaIsFixed) {
  StringOutput out;
  WriterOptions options;
  options.row_group_bytes = 1;  // every record is a row group
  auto writer = ParquetWriter::Create(out, options);
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Write(R"({"a": "x", "n": 1})"), IsOk());
  EXPECT_THAT((*writer)->Write(R"({"a": "x", "extra": 1})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("'extra' is not in the file's schema")));
  EXPECT_THAT((*writer)->Write(R"({"n": 1.5})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'n' is an integer")));
  EXPECT_THAT((*writer)->Write(R"([1])"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a JSON object")));
  ASSERT_THAT((*writer)->Write(R"({"a": "y"})"), IsOk());
  ASSERT_THAT((*writer)->Close(), IsOk());
  EXPECT_EQ((*writer)->rows(), 2u);
  ExpectSameRecords({R"({"a": "x", "n": 1})", R"({"a": "y"})"}, ReadAll(out.bytes));
}

TEST(ParquetRoundTripTest, EmptyFileReadsAsNoRecords) {
  // No records: a valid file with no row groups.
  StringOutput out;
  auto writer = ParquetWriter::Create(out, {});
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT((*writer)->Close(), IsOk());
  auto reader = ParquetReader::Open(MemoryFile(out.bytes), {});
  ASSERT_THAT(reader, IsOk());
  EXPECT_EQ((*reader)->num_rows(), 0);
}

TEST(ParquetRoundTripTest, SchemaDescribesNestedLists) {
  StringOutput out;
  auto writer = ParquetWriter::Create(out, {});
  ASSERT_THAT((*writer)->Write(R"({"messages": [{"role": "user", "content": "hi"}]})"), IsOk());
  const Field schema = (*writer)->schema();
  ASSERT_EQ(schema.children.size(), 1u);
  const Field& messages = schema.children[0];
  EXPECT_EQ(messages.kind, FieldKind::kList);
  ASSERT_EQ(messages.children.size(), 1u);
  EXPECT_EQ(messages.children[0].kind, FieldKind::kStruct);
  EXPECT_EQ(messages.children[0].children[0].name, "role");
}

}  // namespace
}  // namespace tunepack::parquet
