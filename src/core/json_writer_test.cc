#include "tunepack/core/json_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tunepack/core/json_written_string.h"
#include "tunepack/core/metadata.h"

namespace tunepack {
namespace {

// A byte-at-a-time JSON string escaper, the reference for AppendJsonString's fast path.
std::string ReferenceJsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (byte < 0x20) out += "\\u00" + std::string(1, "0123456789abcdef"[byte >> 4]) + "0123456789abcdef"[byte & 0xF];
    else out += c;
  }
  return out + "\"";
}

TEST(JsonWriterTest, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\t\x01"), R"("a\"b\\c\n\t\u0001")");
  EXPECT_EQ(JsonQuote("caf\xC3\xA9 </script>"), "\"caf\xC3\xA9 </script>\"");
}

TEST(JsonWriterTest, EscapesAtEveryPositionOfLongStrings) {
  // The fast path looks at sixteen bytes at a time; put each special byte at each offset
  // of two blocks and a tail.
  for (char special : {'"', '\\', '\n', '\x1f', '\x01', '\x00'}) {
    for (size_t pos = 0; pos < 40; ++pos) {
      std::string text(40, 'a');
      text[pos] = special;
      text += "\xC3\xA9\x7f";  // non-ASCII and DEL are never escaped
      EXPECT_EQ(JsonQuote(text), ReferenceJsonQuote(text)) << "byte " << int(special) << " at " << pos;
    }
  }
}

TEST(JsonWriterTest, GrowsForTextThatIsAllEscapes) {
  // Six bytes out for each byte in: far more than the room made up front.
  const std::string text(1000, '\x01');
  std::string out = "prefix";
  AppendJsonString(out, text);
  std::string expected = "prefix\"";
  for (size_t i = 0; i < text.size(); ++i) expected += "\\u0001";
  EXPECT_EQ(out, expected + "\"");
  EXPECT_EQ(JsonQuote(""), "\"\"");
}

TEST(JsonWriterTest, EscapesMixedTextOfEveryLength) {
  // Blocks with several escapes, escapes next to each other and at block ends, the room
  // growing at any point: against a byte-at-a-time escaper, for lengths 0 to 300.
  const std::string alphabet = std::string("ab\xC3\xA9 \"\\\n\t\x01\x1f\x7f", 12) + std::string(1, '\0');
  uint32_t state = 12345;
  for (size_t length = 0; length <= 300; ++length) {
    std::string text;
    for (size_t i = 0; i < length; ++i) {
      state = state * 1664525u + 1013904223u;
      text += alphabet[(state >> 24) % alphabet.size()];
    }
    std::string out = "prefix";
    AppendJsonString(out, text);
    EXPECT_EQ(out, "prefix" + ReferenceJsonQuote(text)) << "length " << length;
  }
}

TEST(JsonWriterTest, ObjectWriterKeepsFieldOrder) {
  std::string out;
  JsonObjectWriter object(out);
  object.String("text", "hi");
  object.Int("n", -3);
  object.Bool("ok", true);
  object.Raw("tools", "[]");
  object.Close();
  EXPECT_EQ(out, R"({"text":"hi","n":-3,"ok":true,"tools":[]})");
}

// Every byte value, alone and inside runs longer than the 16-byte scan, in texts of every
// length up to 70: what AppendJsonString writes reads back as the text.
TEST(JsonWriterTest, WrittenStringsReadBackAsTheirText) {
  std::vector<std::string> texts = {"", "plain", "a \"quoted\" \\ back\\slash\n\r\t\b\f end", "é ü 中文 😀"};
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    texts.push_back(std::string(1, c));
    texts.push_back("0123456789abcdefghij" + std::string(1, c) + "klmnopqrstuvwxyz" + std::string(2, c));
  }
  std::string long_text;
  for (int i = 0; i < 70; ++i) {
    long_text.push_back(static_cast<char>(i % 3 == 0 ? (i * 7) % 32 : 'a' + i % 26));
    texts.push_back(long_text);
  }
  for (const std::string& text : texts) {
    const std::string quoted = JsonQuote(text);
    std::string back = "kept ";
    EXPECT_TRUE(ReadWrittenJsonString(std::string_view(quoted).substr(1, quoted.size() - 2), back)) << quoted;
    EXPECT_EQ(back, "kept " + text) << quoted;
  }
}

// What AppendJsonString never writes is refused, valid JSON or not: the caller then reads
// the record with a parser.
TEST(JsonWriterTest, ReadingWrittenStringsRefusesWhatTheWriterDoesNotWrite) {
  using namespace std::string_view_literals;
  for (std::string_view body : {"a\"b"sv, "a\\"sv, "\\/"sv, "\\u0041"sv, "\\u000a"sv, "\\u001F"sv, "\\u00"sv, "\\x41"sv,
                                "\\ud83d\\ude00"sv, "tab\tin place"sv, "nul\0in place"sv}) {
    std::string out;
    EXPECT_FALSE(ReadWrittenJsonString(body, out)) << body;
  }
  std::string out;
  EXPECT_TRUE(ReadWrittenJsonString("\\u001f\\u0000", out));
  EXPECT_EQ(out, std::string("\x1f\0", 2));
}

TEST(MetadataTest, SetReplacesInPlaceAndSerialises) {
  Metadata meta;
  meta.SetString("source", "a.md");
  meta.SetJson("page", "3");
  meta.SetString("source", "b.md");
  std::string out;
  meta.AppendJsonObject(out);
  EXPECT_EQ(out, R"({"source":"b.md","page":3})");
  ASSERT_NE(meta.FindJson("page"), nullptr);
  EXPECT_EQ(*meta.FindJson("page"), "3");
  EXPECT_EQ(meta.FindJson("missing"), nullptr);
}

}  // namespace
}  // namespace tunepack
