// Datasets read through LLaMA-Factory's dataset_info.json entries: columns and tags renamed
// to tunepack's own fields, defaults as LLaMA-Factory has them, and the refusals.
#include "tunepack/format/dataset_info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

// Loads `entry` (the JSON of one dataset_info.json entry) as dataset "ds".
Result<DatasetLayout> Layout(const std::string& entry) {
  ::tunepack::testing::TempDir dir;
  const std::string path = (dir.path() / "dataset_info.json").string();
  std::ofstream(path) << R"({"other":{"file_name":"o.json"},"ds":)" + entry + "}";
  return LoadDatasetLayout(path, "ds");
}

// Renames `record` with the entry `entry`, reads it with the entry's format and writes it
// back as that format: what tunepack makes of the record.
Result<std::string> ReadAs(const std::string& entry, std::string_view record) {
  TP_ASSIGN_OR_RETURN(DatasetLayout layout, Layout(entry));
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(record).get_object().get(object) != simdjson::SUCCESS) return InvalidArgumentError("bad test record");
  TP_ASSIGN_OR_RETURN(std::string renamed, RenameRecord(layout, object));
  return testing::Convert(layout.format, layout.format, renamed);
}

TEST(DatasetInfoTest, AlpacaColumnsAreRenamed) {
  Result<std::string> out = ReadAs(R"({"file_name":"d.json","columns":{"prompt":"q","query":"ctx","response":"a","system":"sys"}})",
                                   R"({"q":"Translate","ctx":"Hello","a":"Bonjour","sys":"Be exact."})");
  ASSERT_THAT(out, IsOk());
  // (alpaca joins its input into the user turn on reading, as LLaMA-Factory does)
  EXPECT_EQ(*out, R"({"instruction":"Translate\nHello","input":"","output":"Bonjour","system":"Be exact."})" "\n");
}

TEST(DatasetInfoTest, DefaultsAreLlamaFactorys) {
  Result<DatasetLayout> alpaca = Layout(R"({"file_name":"d.json"})");
  ASSERT_THAT(alpaca, IsOk());
  EXPECT_EQ(alpaca->format, "alpaca");
  Result<DatasetLayout> sharegpt = Layout(R"({"file_name":"d.json","formatting":"sharegpt","ranking":true})");
  ASSERT_THAT(sharegpt, IsOk());
  EXPECT_EQ(sharegpt->format, "sharegpt-preference");
  Result<std::string> out = ReadAs(R"({"formatting":"sharegpt"})",
                                   R"({"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}]})" "\n");
}

TEST(DatasetInfoTest, ShareGptTagsBecomeTunepacksRoles) {
  Result<std::string> out = ReadAs(
      R"({"formatting":"sharegpt","columns":{"messages":"messages","images":"pics"},"tags":{"role_tag":"role","content_tag":"content","user_tag":"user","assistant_tag":"assistant","system_tag":"system"}})",
      R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"<image>What?"},{"role":"assistant","content":"A dog."}],"pics":["dog.png"]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"conversations":[{"from":"system","value":"S"},{"from":"human","value":"<image>What?"},{"from":"gpt","value":"A dog."}],"images":["dog.png"]})"
            "\n");
}

TEST(DatasetInfoTest, RankedShareGptAnswersAreRenamedToo) {
  Result<std::string> out = ReadAs(
      R"({"formatting":"sharegpt","ranking":true,"columns":{"messages":"conv","chosen":"good","rejected":"bad"},"tags":{"role_tag":"r","content_tag":"c","user_tag":"u","assistant_tag":"a"}})",
      R"({"conv":[{"r":"u","c":"Name a colour."}],"good":{"r":"a","c":"Blue."},"bad":{"r":"a","c":"Seven."}})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"conversations":[{"from":"human","value":"Name a colour."}],"chosen":{"from":"gpt","value":"Blue."},"rejected":{"from":"gpt","value":"Seven."}})"
            "\n");
}

TEST(DatasetInfoTest, OpenAiFormattingReadsOpenAiMessages) {
  Result<std::string> out = ReadAs(
      R"({"formatting":"openai","columns":{"messages":"messages"},"tags":{"role_tag":"role","content_tag":"content","user_tag":"user","assistant_tag":"assistant","system_tag":"system"}})",
      R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})" "\n");
}

TEST(DatasetInfoTest, FieldsTheEntryDoesNotNameAreNotReadInItsPlace) {
  Result<DatasetLayout> layout = Layout(R"({"columns":{"prompt":"q","response":"a"}})");
  ASSERT_THAT(layout, IsOk());
  simdjson::dom::parser parser;
  simdjson::dom::object record = parser.parse(std::string_view(R"({"q":"x","a":"y","system":"z"})")).get_object().value();
  EXPECT_THAT(RenameRecord(*layout, record),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"system\" is not a column of dataset \"ds\"")));
  // A field of no tunepack meaning is kept, for the format to carry or refuse.
  record = parser.parse(std::string_view(R"({"q":"x","a":"y","id":7})")).get_object().value();
  Result<std::string> renamed = RenameRecord(*layout, record);
  ASSERT_THAT(renamed, IsOk());
  EXPECT_EQ(*renamed, R"({"instruction":"x","output":"y","id":7})");
}

TEST(DatasetInfoTest, KtoTagMakesAnUnpairedPreference) {
  // LLaMA-Factory's own entry for its KTO demo.
  Result<DatasetLayout> layout = Layout(
      R"({"formatting":"sharegpt","columns":{"messages":"messages","kto_tag":"label"},"tags":{"role_tag":"role","content_tag":"content","user_tag":"user","assistant_tag":"assistant"}})");
  ASSERT_THAT(layout, IsOk());
  auto read = [&](std::string_view record) -> Result<Example> {
    simdjson::dom::parser parser;
    TP_ASSIGN_OR_RETURN(std::string renamed, RenameRecord(*layout, parser.parse(record).get_object().value()));
    TP_ASSIGN_OR_RETURN(Example example, testing::ReadRecord(layout->format, renamed));
    TP_RETURN_IF_ERROR(ApplyKtoTag(*layout, example));
    return example;
  };
  Result<Example> bad = read(
      R"({"messages":[{"role":"user","content":"Summarise: sales rose 5%."},{"role":"assistant","content":"Ooh ooh! Numbers!"}],"label":false})");
  ASSERT_THAT(bad, IsOk());
  EXPECT_EQ(bad->kind, ExampleKind::kUnpairedPreference);
  ASSERT_EQ(bad->messages.size(), 1u);
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(bad->rejected[0].content, "Ooh ooh! Numbers!");
  EXPECT_TRUE(bad->unread_fields.empty());
  Result<std::string> kto = testing::WriteExample("trl-kto", *bad);
  ASSERT_THAT(kto, IsOk());
  EXPECT_EQ(*kto,
            R"({"prompt":[{"role":"user","content":"Summarise: sales rose 5%."}],"completion":[{"role":"assistant","content":"Ooh ooh! Numbers!"}],"label":false})"
            "\n");
  EXPECT_THAT(read(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("kto_tag column must hold true or false, and this record has none")));
  EXPECT_THAT(read(R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"label":"yes"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not \"yes\"")));
}

TEST(DatasetInfoTest, HostileFilesGetAClearError) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_THAT(ParseDatasetLayout(deep, "ds", "deep.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("deep.json: not a dataset_info.json")));
  EXPECT_THAT(ParseDatasetLayout("\xff\xfe not json", "ds", "bin.json"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("bin.json: not a dataset_info.json")));
  // A record nested far deeper than any turn: renamed as is, never walked.
  Result<DatasetLayout> layout = Layout(R"({"formatting":"sharegpt"})");
  ASSERT_THAT(layout, IsOk());
  simdjson::dom::parser parser;
  const std::string record = R"({"conversations":[{"from":"human","value":)" + std::string(500, '[') +
                             std::string(500, ']') + "}]}";
  Result<std::string> renamed = RenameRecord(*layout, parser.parse(record).get_object().value());
  EXPECT_THAT(renamed, IsOk());
}

TEST(DatasetInfoTest, BadEntriesAreNamed) {
  EXPECT_THAT(Layout(R"({"formatting":"yaml"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("dataset \"ds\": formatting \"yaml\" is not one of")));
  EXPECT_THAT(Layout(R"({"columns":{"prompt":3}})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("columns.prompt must be a string")));
  EXPECT_THAT(Layout(R"({"formatting":"openai","ranking":true})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ranked data in the openai formatting")));
  ::tunepack::testing::TempDir dir;
  const std::string path = (dir.path() / "dataset_info.json").string();
  std::ofstream(path) << R"({"alpaca_en":{},"glaive":{}})";
  EXPECT_THAT(LoadDatasetLayout(path, "nope"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no dataset \"nope\" (it describes: alpaca_en, glaive)")));
}

}  // namespace
}  // namespace tunepack::format
