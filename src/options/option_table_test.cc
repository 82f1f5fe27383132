#include "tunepack/options/option_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack::options {
namespace {

using ::testing::HasSubstr;
using tunepack::testing::StatusIs;

OptionTable SmallTable() {
  std::vector<OptionSpec> specs(4);
  specs[0].name = "max-tokens";
  specs[0].type = ValueType::kInt;
  specs[0].default_json = "0";
  specs[1].name = "mode";
  specs[1].type = ValueType::kEnum;
  specs[1].choices = {"off", "on"};
  specs[1].default_json = "\"off\"";
  specs[2].name = "kinds";
  specs[2].type = ValueType::kStringList;
  specs[2].comma_list = true;
  specs[2].choices = {"a", "b"};
  specs[3].name = "verbose";
  specs[3].type = ValueType::kBool;
  specs[3].commands = kConvert;
  return OptionTable(specs);
}

TEST(OptionTableTest, TextAndJsonGiveTheSameValues) {
  const OptionTable table = SmallTable();
  auto from_text = table.FromText({{"max-tokens", {"12"}}, {"kinds", {"a,b"}}}, kExport);
  auto from_json = table.FromJson(R"({"max_tokens": 12, "kinds": ["a", "b"]})", kExport);
  ASSERT_TRUE(from_text.ok() && from_json.ok());
  EXPECT_EQ(from_text->ToJson(), from_json->ToJson());
  EXPECT_EQ(from_text->ToJson(), R"({"kinds":["a","b"],"max_tokens":12,"mode":"off"})");
  EXPECT_TRUE(from_text->Given("max-tokens"));
  EXPECT_FALSE(from_text->Given("mode"));
}

TEST(OptionTableTest, RefusesBadValuesNamingTheOption) {
  const OptionTable table = SmallTable();
  EXPECT_THAT(table.FromText({{"max-tokens", {"-3"}}}, kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("0 or more")));
  EXPECT_THAT(table.FromText({{"mode", {"sideways"}}}, kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be off or on, not 'sideways'")));
  EXPECT_THAT(table.FromJson(R"({"kinds": ["c"]})", kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be a or b")));
  EXPECT_THAT(table.FromJson(R"({"verbose": true})", kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown option")));
  EXPECT_THAT(table.FromJson(R"({"max_tokens": 1.5})", kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an integer")));
  EXPECT_THAT(table.FromJson(std::string(5000, '[') + std::string(5000, ']'), kExport),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(table.FromJson("[1]", kExport), StatusIs(StatusCode::kInvalidArgument, HasSubstr("object")));
}

TEST(OptionTableTest, SchemaListsTypesChoicesAndDefaults) {
  const std::string schema = SmallTable().JsonSchema(kExport, "t");
  EXPECT_THAT(schema, HasSubstr(R"("max_tokens": {)"));
  EXPECT_THAT(schema, HasSubstr(R"("enum": [)"));
  EXPECT_THAT(schema, HasSubstr(R"("additionalProperties": false)"));
  EXPECT_THAT(schema, ::testing::Not(HasSubstr("verbose")));
}

}  // namespace
}  // namespace tunepack::options
