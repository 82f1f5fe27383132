#include "tunepack/core/json_writer.h"

#include <gtest/gtest.h>

#include "tunepack/core/metadata.h"

namespace tunepack {
namespace {

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
      std::string expected = "\"";
      for (char c : text) {
        if (c == '"') expected += "\\\"";
        else if (c == '\\') expected += "\\\\";
        else if (c == '\n') expected += "\\n";
        else if (c == '\x1f') expected += "\\u001f";
        else if (c == '\x01') expected += "\\u0001";
        else if (c == '\0') expected += "\\u0000";
        else expected += c;
      }
      expected += "\"";
      EXPECT_EQ(JsonQuote(text), expected) << "byte " << int(special) << " at " << pos;
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
