#include <gtest/gtest.h>

#include <string>

#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
namespace {

TEST(DetectInputTypeTest, ExtensionsMapToReadersAndContainers) {
  struct Case {
    const char* path;
    InputKind kind;
    const char* reader;
  } cases[] = {
      {"notes.txt", InputKind::kDocument, "text"},
      {"docs/README.md", InputKind::kDocument, "markdown"},
      {"page.HTML", InputKind::kDocument, "html"},
      {"data.jsonl", InputKind::kRecords, "jsonl"},
      {"data.ndjson", InputKind::kRecords, "jsonl"},
      {"data.json", InputKind::kRecords, "json"},
      {"table.csv", InputKind::kRecords, "csv"},
  };
  for (const Case& c : cases) {
    const InputType type = DetectInputType(c.path, "plain words\n");
    EXPECT_EQ(type.kind, c.kind) << c.path;
    EXPECT_EQ(type.reader, c.reader) << c.path;
    EXPECT_EQ(type.warning, "") << c.path;
  }
}

TEST(DetectInputTypeTest, UnknownExtensionFallsBackToContent) {
  EXPECT_EQ(DetectInputType("data", "{\"a\":1}\n{\"a\":2}\n").reader, "jsonl");
  EXPECT_EQ(DetectInputType("data", "[{\"a\":1}]").reader, "json");
  EXPECT_EQ(DetectInputType("data", "{\n  \"a\": 1\n}\n").reader, "json");
  EXPECT_EQ(DetectInputType("page", "  <!DOCTYPE html><html></html>").reader, "html");
  EXPECT_EQ(DetectInputType("page", "<HTML><body>x</body></HTML>").reader, "html");
  EXPECT_EQ(DetectInputType("notes", "# Title\n\nBody\n").reader, "markdown");
  EXPECT_EQ(DetectInputType("notes", "Just words.\n").reader, "text");
  EXPECT_EQ(DetectInputType("-", "").reader, "text");
  // Markdown links and template braces are not JSON.
  EXPECT_EQ(DetectInputType("notes", "[link](http://x) more\n").reader, "text");
  EXPECT_EQ(DetectInputType("notes", "{{ name }}\n{{ other }}\n").reader, "text");
}

TEST(DetectInputTypeTest, ContentContradictingTheExtensionWinsWithAWarning) {
  InputType type = DetectInputType("records.txt", "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(type.kind, InputKind::kRecords);
  EXPECT_EQ(type.reader, "jsonl");
  EXPECT_NE(type.warning.find("'.txt' file looks like jsonl"), std::string::npos) << type.warning;

  type = DetectInputType("data.jsonl", "[\n{\"a\":1}\n]");
  EXPECT_EQ(type.reader, "json");
  EXPECT_FALSE(type.warning.empty());

  type = DetectInputType("page.md", "<!doctype html><p>x</p>");
  EXPECT_EQ(type.reader, "html");
  EXPECT_FALSE(type.warning.empty());
}

TEST(DetectInputTypeTest, WeakContentSignalsDoNotOverrideTheExtension) {
  // A one-line object is valid JSON and valid JSONL: the extension decides.
  EXPECT_EQ(DetectInputType("one.json", "{\"a\":1}").reader, "json");
  EXPECT_EQ(DetectInputType("one.jsonl", "{\"a\":1}").reader, "jsonl");
  // Markdown-looking text in a .txt stays text; any text in .csv stays csv.
  EXPECT_EQ(DetectInputType("a.txt", "# Heading\n").reader, "text");
  InputType csv = DetectInputType("a.csv", "name,age\nAda,36\n");
  EXPECT_EQ(csv.reader, "csv");
  EXPECT_EQ(csv.warning, "");
}

TEST(DetectInputTypeTest, BinaryContentIsRejectedWithAReason) {
  InputType type = DetectInputType("x.txt", std::string("abc\0def", 7));
  EXPECT_EQ(type.kind, InputKind::kBinary);
  EXPECT_EQ(type.reader, "");
  EXPECT_NE(type.warning.find("NUL"), std::string::npos) << type.warning;

  // A PDF is a document now (pdf_reader_test.cc); a PNG named .txt is still binary.
  type = DetectInputType("paper.txt", "\x89PNG\r\n");
  EXPECT_EQ(type.kind, InputKind::kBinary);
  EXPECT_NE(type.warning.find("PNG"), std::string::npos) << type.warning;

  EXPECT_EQ(DetectInputType("a.jsonl", "PK\x03\x04rest").kind, InputKind::kBinary);
  EXPECT_EQ(DetectInputType("a.bin", "\x01\x02\x03\x04\x05\x06").kind, InputKind::kBinary);
}

TEST(DetectInputTypeTest, Utf16TextIsNotBinary) {
  const std::string utf16le("\xFF\xFE{\0\"\0a\0\"\0:\0\x31\0}\0\n\0{\0\"\0a\0\"\0:\0\x32\0}\0\n\0", 34);
  InputType type = DetectInputType("data.jsonl", utf16le);
  EXPECT_EQ(type.kind, InputKind::kRecords);
  EXPECT_EQ(type.reader, "jsonl");
  const std::string no_bom("H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0\n\0", 24);
  EXPECT_EQ(DetectInputType("hello.txt", no_bom).reader, "text");
}

TEST(DetectInputTypeTest, MarkdownStartingLikeJsonIsMarkdown) {
  // Issue 9: a .md file beginning "[1, 2, 3] is ..." was sniffed as JSON and rejected.
  InputType type = DetectInputType("notes.md", "[1, 2, 3] is a list.\n\n# More\n");
  EXPECT_EQ(type.kind, InputKind::kDocument);
  EXPECT_EQ(type.reader, "markdown");
  EXPECT_EQ(type.warning, "");
  EXPECT_EQ(DetectInputType("notes.md", "{\"a\": 1} is an object.\n").reader, "markdown");
  EXPECT_EQ(DetectInputType("notes", "[1, 2, 3] is a list.\n").reader, "text");
  // Real JSON in a .md file is still recognised, whole or cut off at the end of the head.
  EXPECT_EQ(DetectInputType("data.md", "[{\"a\": 1}, {\"a\": 2}]\n").reader, "json");
  std::string big = "[";
  while (big.size() < kSniffHeadBytes) big += "{\"text\": \"some words\"}, ";
  big.resize(kSniffHeadBytes);  // cut anywhere
  EXPECT_EQ(DetectInputType("data.md", big).reader, "json");
  big = "[";
  while (big.size() + 3 < kSniffHeadBytes - 2) big += "1, ";
  big.resize(kSniffHeadBytes - 2, ' ');
  big += "tr";  // cut inside a literal
  EXPECT_EQ(DetectInputType("data.md", big).reader, "json");
  // A short file is whole: unterminated JSON is not JSON.
  EXPECT_EQ(DetectInputType("notes.md", "[1, 2, 3 are numbers\n").reader, "markdown");
}

TEST(DetectInputTypeTest, NulByteInJsonLinesIsOneBadLineNotABinaryFile) {
  // Issue 9: one NUL byte in the first 64 KiB rejected every record as one binary_file.
  const std::string jsonl = std::string("{\"text\": \"a\"}\n{\"text\": \"b\0c\"}\n{\"text\": \"d\"}\n",
                                        44);
  ASSERT_EQ(jsonl.size(), 44u);
  InputType type = DetectInputType("data.jsonl", jsonl);
  EXPECT_EQ(type.kind, InputKind::kRecords);
  EXPECT_EQ(type.reader, "jsonl");
  EXPECT_EQ(DetectInputType("data", jsonl).reader, "jsonl");
  // Other text with NULs stays binary.
  EXPECT_EQ(DetectInputType("data.jsonl", std::string("abc\0def\nghi\n", 12)).kind,
            InputKind::kBinary);
}

}  // namespace
}  // namespace tunepack::ingest
