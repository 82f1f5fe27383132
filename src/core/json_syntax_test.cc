#include "tunepack/core/json_syntax.h"

#include <gtest/gtest.h>

namespace tunepack {
namespace {

TEST(JsonSyntaxTest, AcceptsValidValues) {
  for (const char* ok : {R"({"a":[1,-2.5e3,true,false,null,"x\u00e9\n"]})", " [] ", "0", "\"s\""}) {
    EXPECT_EQ(FindJsonSyntaxError(ok).offset, std::string_view::npos) << ok;
  }
}

TEST(JsonSyntaxTest, PointsAtTheFirstError) {
  JsonSyntaxError e = FindJsonSyntaxError(R"({"a":1 "b":2})");
  EXPECT_EQ(e.offset, 7u);
  EXPECT_EQ(e.expected, "',' or '}'");
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":)").offset, 5u);
  EXPECT_EQ(FindJsonSyntaxError(R"({"a":"unterminated)").expected, "'\"' closing the string");
  EXPECT_EQ(FindJsonSyntaxError(R"({a:1})").offset, 1u);
  EXPECT_EQ(FindJsonSyntaxError("[1,2] x").expected, "end of input");
  EXPECT_EQ(FindJsonSyntaxError("01").offset, 1u);
  EXPECT_EQ(FindJsonSyntaxError(std::string(2000, '[')).expected, "less nesting");
}

}  // namespace
}  // namespace tunepack
