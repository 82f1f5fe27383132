#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tunepack/core/hash.h"
#include "tunepack/ingest/document_reader.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

std::string Fixture(const std::string& name) {
  return ::tunepack::testing::ReadFile(std::filesystem::path(TP_SOURCE_DIR) / "tests/data/ingest" /
                                       name);
}

const DocumentReader& Reader(std::string_view name) {
  const DocumentReader* reader = BuiltinDocumentReaders().Find(name);
  EXPECT_NE(reader, nullptr);
  return *reader;
}

std::string MetadataJson(const Document& doc) {
  std::string out;
  doc.metadata.AppendJsonObject(out);
  return out;
}

TEST(BuiltinDocumentReadersTest, HasTheBuiltinReadersInOrder) {
  EXPECT_EQ(BuiltinDocumentReaders().Names(), "text, markdown, html, docx, epub, odt, pptx, pdf");
  EXPECT_EQ(FindDocumentReaderByExtension(BuiltinDocumentReaders(), ".md")->name, "markdown");
  EXPECT_EQ(FindDocumentReaderByExtension(BuiltinDocumentReaders(), ".pdf")->name, "pdf");
  EXPECT_EQ(FindDocumentReaderByExtension(BuiltinDocumentReaders(), ".docx")->name, "docx");
  DocumentReaderRegistry registry;
  ASSERT_THAT(RegisterBuiltinDocumentReaders(registry), IsOk());
  EXPECT_THAT(RegisterBuiltinDocumentReaders(registry),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("text")));
}

TEST(ReadDocumentTest, SetsOriginTitleAndMetadata) {
  const Origin origin{"docs/guide.md", 0, 0};
  Result<Document> doc = ReadDocument(Reader("markdown"), "# Guide\r\n\r\nBody\r\n", origin, {});
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->origin.source, "docs/guide.md");
  EXPECT_EQ(doc->title, "Guide");
  EXPECT_EQ(doc->text, "# Guide\n\nBody");
  EXPECT_EQ(MetadataJson(*doc), R"({"source":"docs/guide.md","title":"Guide","encoding":"UTF-8",)"
                                R"("content_hash":")" + HashBytes("# Guide\n\nBody").Hex() + "\"}");
}

TEST(ReadDocumentTest, HtmlUsesItsDeclaredCharset) {
  Result<Document> doc = ReadDocument(Reader("html"), Fixture("latin1_declared.html"),
                                      Origin{"menu.html"}, {});
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->title, "Caf\xC3\xA9");
  EXPECT_EQ(doc->text, "# Men\xC3\xBA\n\nCr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e \xE2\x82\xAC 5");
  EXPECT_EQ(*doc->metadata.FindJson("encoding"), "\"WINDOWS-1252\"");
}

TEST(ReadDocumentTest, Utf16TextFile) {
  Result<Document> doc =
      ReadDocument(Reader("text"), Fixture("utf16be_bom.txt"), Origin{"ja.txt"}, {});
  ASSERT_THAT(doc, IsOk());
  std::string expected = Fixture("expected_ja.txt");
  expected.pop_back();  // the final newline is trimmed
  EXPECT_EQ(doc->text, expected);
  EXPECT_EQ(*doc->metadata.FindJson("encoding"), "\"UTF-16BE\"");
  EXPECT_EQ(doc->metadata.FindJson("title"), nullptr);
}

TEST(ReadDocumentTest, ADocumentWithoutTextIsBlank) {
  Result<Document> spaces = ReadDocument(Reader("text"), " \r\n\t\n", Origin{"e.txt"}, {});
  ASSERT_TRUE(spaces.has_value());
  EXPECT_TRUE(spaces->IsBlank());
  Result<Document> script = ReadDocument(Reader("html"), "<script>only()</script>", Origin{"e.html"}, {});
  ASSERT_TRUE(script.has_value());
  EXPECT_TRUE(script->IsBlank());
  Result<Document> text = ReadDocument(Reader("text"), " x\n", Origin{"x.txt"}, {});
  ASSERT_TRUE(text.has_value());
  EXPECT_FALSE(text->IsBlank());
}

TEST(ReadDocumentTest, InvalidUtf8UnderFailNamesLineAndColumn) {
  DocumentOptions options;
  options.on_invalid_utf8 = InvalidUtf8Policy::kFail;
  EXPECT_THAT(ReadDocument(Reader("text"), "r\xC3\xA9sum\xC3\xA9\nna\xC3\xAFve \xC3(", Origin{"b.txt"},
                           options),
              StatusIs(StatusCode::kDataLoss, HasSubstr("line 2, column 7")));
}

TEST(ReadDocumentTest, NormalizeOptionsReachTheReader) {
  DocumentOptions options;
  options.normalize.form = normalize::UnicodeForm::kNfkc;
  Result<Document> doc = ReadDocument(Reader("text"), "\xEF\xAC\x81le", Origin{"f.txt"}, options);
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ(doc->text, "file");
}

}  // namespace
}  // namespace tunepack::ingest
