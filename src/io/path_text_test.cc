#include "tunepack/io/path_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tunepack::io {
namespace {

TEST(PathTextTest, ValidNamesStayAndInvalidBytesBecomeEscapes) {
  EXPECT_EQ(DisplayPath("d/caf\xc3\xa9.txt"), "d/caf\xc3\xa9.txt");
  EXPECT_EQ(DisplayPath("d/caf\xe9.txt"), "d/caf\\xe9.txt");
  EXPECT_EQ(DisplayPath("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(HexBytes("caf\xe9"), "636166e9");
}

TEST(PathTextTest, JsonTextWithRawBytesBecomesParsableJson) {
  const std::string raw = "{\"inputs\":[\"d/caf\xe9.txt\"]}";
  const auto parsed = nlohmann::json::parse(JsonTextWithSafeUtf8(raw));
  EXPECT_EQ(parsed["inputs"][0], "d/caf\\xe9.txt");
  EXPECT_EQ(JsonTextWithSafeUtf8("{\"a\":\"\xc3\xa9\"}"), "{\"a\":\"\xc3\xa9\"}");
}

}  // namespace
}  // namespace tunepack::io
