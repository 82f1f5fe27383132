#include "server/request_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack::server {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

TEST(ParseRequestJsonTest, ParsesAnObject) {
  Result<nlohmann::json> body = ParseRequestJson(R"({"format": "openai", "max_tokens": 512})");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ((*body)["format"], "openai");
}

TEST(ParseRequestJsonTest, SaysWhereMalformedJsonBreaks) {
  EXPECT_THAT(ParseRequestJson("{\n  \"format\": openai\n}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("line 2, column 13")));
  EXPECT_THAT(ParseRequestJson(""), StatusIs(StatusCode::kInvalidArgument, HasSubstr("malformed")));
  EXPECT_THAT(ParseRequestJson("{\"a\": 1} x"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("malformed")));
}

TEST(ParseRequestJsonTest, RefusesNonObjectsBadUtf8AndDeepNesting) {
  EXPECT_THAT(ParseRequestJson("[1, 2]"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("JSON object")));
  EXPECT_THAT(ParseRequestJson("{\"a\": \"\xff\"}"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("malformed")));
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_THAT(ParseRequestJson(deep), StatusIs(StatusCode::kInvalidArgument, HasSubstr("deeper than 64")));
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(ParseRequestJson("{\"a\": \"" + std::string(1000, '[') + "\"}").has_value());
}

}  // namespace
}  // namespace tunepack::server
