#include "tokenize/hf/json_text_reader.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace tunepack::tokenize::hf {
namespace {

// simdjson's DOM reading of the JSON string `json`, or nullopt when it refuses it.
std::optional<std::string> DomString(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(simdjson::padded_string(json)).get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return std::string(value);
}

// The reader's reading of `json` (inside a padded buffer, as the tables are), or nullopt.
std::optional<std::string> ReaderString(const std::string& json) {
  const simdjson::padded_string padded(json);
  JsonTextReader reader(std::string_view(padded.data(), padded.size()));
  std::string scratch;
  std::string_view value;
  if (!reader.ReadString(&scratch, &value) || reader.Peek() != '\0') return std::nullopt;
  return std::string(value);
}

// Whatever the reader takes, it reads as the DOM does; what the DOM refuses, it refuses.
// (It may refuse more: the load then falls back to the DOM.)
TEST(JsonTextReaderTest, StringsReadAsTheDomReadsThem) {
  const std::string long_text = "\xE2\x96\x81the quick brown fox jumps over the lazy dog";
  std::vector<std::string> cases = {
      R"("")", R"("a")", R"(" ")", "\"" + long_text + "\"", R"("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n")",
      R"("x\"y")", R"("\\")", R"("\/\b\f\r\t")", R"("\u0041\u00e9\u20AC")", R"("\ud83d\ude00 after")",
      "\"" + long_text + R"(\u0041)" + long_text + "\"", R"("a\u0000b")",
      // refused by the DOM
      "\"a\tb\"", "\"" + long_text + "\x01\"", R"("\x")", R"("\u12")", R"("unterminated)", R"("a\)",
      // refused by the reader, whatever the DOM says
      R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")"};
  for (size_t shift = 0; shift < 20; ++shift) {
    // A quote, a backslash or a control character at every place of the 16-byte scans.
    const std::string prefix(shift, 'p');
    cases.push_back("\"" + prefix + R"(\"tail")");
    cases.push_back("\"" + prefix + "\"");
    cases.push_back("\"" + prefix + "\x1F" + "\"");
  }
  for (const std::string& json : cases) {
    const std::optional<std::string> dom = DomString(json);
    const std::optional<std::string> read = ReaderString(json);
    if (read) {
      EXPECT_EQ(read, dom) << json;
    } else {
      EXPECT_TRUE(!dom || json.find("\\ud") != std::string::npos || json.find("\\ude") != std::string::npos) << json;
    }
  }
  EXPECT_EQ(ReaderString(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(ReaderString("\"" + long_text + "\""), long_text);
}

TEST(JsonTextReaderTest, WholeNumbersOnly) {
  auto read = [](const std::string& json) -> std::optional<uint64_t> {
    const simdjson::padded_string padded(json);
    JsonTextReader reader(std::string_view(padded.data(), padded.size()));
    uint64_t value = 0;
    if (!reader.ReadUint(&value)) return std::nullopt;
    return value;
  };
  EXPECT_EQ(read("0"), 0u);
  EXPECT_EQ(read(" 262143,"), 262143u);
  EXPECT_EQ(read("123456789012345678"), 123456789012345678u);
  for (const char* refused : {"-1", "01", "1.0", "1e3", "2E1", "1234567890123456789", "x", ""}) {
    EXPECT_EQ(read(refused), std::nullopt) << refused;
  }
}

// SkipValue steps over a value by its quotes, escapes and brackets, wherever they fall in
// the scans, and stops at the end of the value.
TEST(JsonTextReaderTest, SkipsNestedValues) {
  const std::string value = R"({"a": [1, {"b": "]}\"\\"}, "}{[", []], "c": {}, "d": "x"})";
  for (size_t shift = 0; shift < 20; ++shift) {
    const std::string json = std::string(shift, ' ') + value + ", \"next\"";
    const simdjson::padded_string padded(json);
    JsonTextReader reader(std::string_view(padded.data(), padded.size()));
    ASSERT_TRUE(reader.SkipValue()) << shift;
    EXPECT_EQ(reader.position() - padded.data(), static_cast<ptrdiff_t>(shift + value.size()));
    EXPECT_TRUE(reader.Consume(','));
  }
  for (const char* scalar : {"null, 1", "-1.5e3]", "true}"}) {
    const simdjson::padded_string padded{std::string(scalar)};
    JsonTextReader reader(std::string_view(padded.data(), padded.size()));
    ASSERT_TRUE(reader.SkipValue());
    EXPECT_TRUE(reader.Peek() == ',' || reader.Peek() == ']' || reader.Peek() == '}') << scalar;
  }
  for (const char* unclosed : {R"({"a": [1, 2})", R"(["a\"])", "]"}) {
    const simdjson::padded_string padded{std::string(unclosed)};
    JsonTextReader reader(std::string_view(padded.data(), padded.size()));
    EXPECT_FALSE(reader.SkipValue()) << unclosed;
  }
}

}  // namespace
}  // namespace tunepack::tokenize::hf
