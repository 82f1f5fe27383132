#include "tunepack/format/mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

class MappingTest : public ::testing::Test {
 protected:
  simdjson::dom::element Parse(std::string_view json) {
    simdjson::dom::element record;
    EXPECT_EQ(parser_.parse(json.data(), json.size()).get(record), simdjson::SUCCESS);
    return record;
  }

  simdjson::dom::parser parser_;
};

TEST(ParseFieldMappingTest, ParsesRoleAndPath) {
  Result<FieldMapping> mapping = ParseFieldMapping("assistant=answer.text");
  ASSERT_THAT(mapping, IsOk());
  EXPECT_EQ(mapping->role, Role::kAssistant);
  EXPECT_EQ(mapping->path, "answer.text");
}

TEST(ParseFieldMappingTest, RejectsBadSpecs) {
  EXPECT_THAT(ParseFieldMapping("question"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected ROLE=PATH")));
  EXPECT_THAT(ParseFieldMapping("bot=q"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("role 'bot' is not system, user or assistant")));
  EXPECT_THAT(ParseFieldMapping("tool=q"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("role 'tool'")));
  EXPECT_THAT(ParseFieldMapping("user="), StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty path")));
}

TEST_F(MappingTest, FindPathWalksObjectsAndArrays) {
  simdjson::dom::element record = Parse(R"({"a":{"b":[{"c":"deep"},{"c":"second"}]},"x":1})");
  Result<simdjson::dom::element> value = FindPath(record, "a.b.1.c");
  ASSERT_THAT(value, IsOk());
  EXPECT_EQ(std::string_view(value->get_string().value_unsafe()), "second");
  EXPECT_THAT(FindPath(record, "a.missing"), StatusIs(StatusCode::kNotFound, HasSubstr("no field 'a.missing'")));
  EXPECT_THAT(FindPath(record, "a.b.7"), StatusIs(StatusCode::kNotFound, HasSubstr("no element 'a.b.7'")));
  EXPECT_THAT(FindPath(record, "a.b.c"),
              StatusIs(StatusCode::kNotFound, HasSubstr("'a.b' is an array, and 'c' is not an index")));
  EXPECT_THAT(FindPath(record, "x.y"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no field 'x.y' ('x' is a number)")));
  EXPECT_THAT(FindPath(record, "a..b"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty part")));
}

TEST_F(MappingTest, MapsFieldsToAConversationInOrder) {
  simdjson::dom::element record =
      Parse(R"({"sys":"Be kind.","q":{"text":"Why?"},"answers":["Because."],"id":17,"tags":["a"]})");
  RecordMapping mapping;
  mapping.fields = {{Role::kSystem, "sys"}, {Role::kUser, "q.text"}, {Role::kAssistant, "answers.0"}};
  mapping.metadata_fields = {"id", "tags", "absent"};
  Example example;
  ASSERT_THAT(MapRecord(record, mapping, example), IsOk());
  EXPECT_EQ(example.kind, ExampleKind::kConversation);
  ASSERT_EQ(example.messages.size(), 3u);
  EXPECT_EQ(example.messages[0].role, Role::kSystem);
  EXPECT_EQ(example.messages[1].content, "Why?");
  EXPECT_EQ(example.messages[2].role, Role::kAssistant);
  EXPECT_EQ(example.messages[2].content, "Because.");
  ASSERT_EQ(example.metadata.entries().size(), 2u);
  EXPECT_EQ(*example.metadata.FindJson("id"), "17");
  EXPECT_EQ(*example.metadata.FindJson("tags"), R"(["a"])");
}

TEST_F(MappingTest, MapsATextField) {
  RecordMapping mapping;
  mapping.text_field = "body.content";
  Example example;
  ASSERT_THAT(MapRecord(Parse(R"({"body":{"content":"Hello."}})"), mapping, example), IsOk());
  EXPECT_EQ(example.kind, ExampleKind::kText);
  EXPECT_EQ(example.text, "Hello.");
}

TEST_F(MappingTest, MissingOrNonStringFieldsNameThePath) {
  RecordMapping mapping;
  mapping.fields = {{Role::kUser, "q"}, {Role::kAssistant, "a"}};
  Example example;
  EXPECT_THAT(MapRecord(Parse(R"({"q":"x"})"), mapping, example),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("field 'a' (‹map› assistant=a): no field 'a'")));
  Example other;
  EXPECT_THAT(MapRecord(Parse(R"({"q":"x","a":["y"]})"), mapping, other),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'a' (‹map› assistant=a): must be a string, not an array")));
  RecordMapping text;
  text.text_field = "body";
  Example third;
  EXPECT_THAT(MapRecord(Parse(R"({"body":null})"), text, third),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("field 'body' (‹text-field›): must be a string, not null")));
  Example fourth;
  EXPECT_THAT(MapRecord(Parse("{}"), RecordMapping{}, fourth),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("give ‹text-field› or ‹map›")));
}

}  // namespace
}  // namespace tunepack::format
