// Golden tests of the package readers (DOCX, ODT, PPTX, EPUB) on the files of
// tests/data/documents (LibreOffice conversions and hand-made packages, see
// make_fixtures.py), and their safety: ZIP bombs, damaged and encrypted packages, XML
// external entities, paths out of the package. TP_UPDATE_GOLDEN=1 rewrites the goldens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "ingest/reader_test_util.h"
#include "ingest/xml_stream.h"
#include "ingest/zip_package.h"
#include "support/status_matchers.h"
#include "tunepack/ingest/rejection.h"
#include "support/temp_dir.h"
#include "tunepack/ingest/detect.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

fs::path DataDir() { return fs::path(TP_SOURCE_DIR) / "tests/data/documents"; }

std::string Fixture(const std::string& name) { return ::tunepack::testing::ReadFile(DataDir() / name); }

Result<Document> ReadFixture(const std::string& name, const std::string& bytes,
                             const DocumentOptions& options = {}) {
  const InputType type = DetectInputType(name, bytes.substr(0, kSniffHeadBytes));
  const DocumentReader* reader = BuiltinDocumentReaders().Find(type.reader);
  if (reader == nullptr) return InvalidArgumentError("no reader for " + name + ": " + type.warning);
  return ReadDocument(*reader, bytes, Origin{name, 0, 0}, options);
}

// The golden form of a Document: its metadata, then each block with kind, level and
// heading path, then its text.
std::string Golden(const Document& doc) {
  std::string out;
  for (const MetadataEntry& entry : doc.metadata.entries()) {
    if (entry.key != "content_hash") out += "meta " + entry.key + " = " + entry.json + "\n";
  }
  for (const Block& block : doc.blocks) {
    out += "\n[" + std::string(BlockKindName(block.kind)) + " " + std::to_string(block.level) + "]";
    for (const std::string& heading : block.heading_path) out += " / " + heading;
    out += "\n" + doc.text.substr(block.begin, block.end - block.begin) + "\n";
  }
  return out;
}

class PackageGoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PackageGoldenTest, MatchesGolden) {
  const std::string name = GetParam();
  Result<Document> doc = ReadFixture(name, Fixture(name));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  ExpectOrderedBlocks(*doc);
  const std::string golden = Golden(*doc);
  const fs::path golden_path = DataDir() / (name + ".golden");
  if (std::getenv("TP_UPDATE_GOLDEN") != nullptr) ::tunepack::testing::WriteFile(golden_path, golden);
  EXPECT_EQ(golden, ::tunepack::testing::ReadFile(golden_path));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PackageGoldenTest,
                         ::testing::Values("sample.docx", "sample.odt", "lists.odt", "features.docx", "book.epub",
                                           "slides.pptx"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(PackageReaderTest, PptxSpeakerNotesFollowTheirSlideWhenAsked) {
  Result<Document> plain = ReadFixture("slides.pptx", Fixture("slides.pptx"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_THAT(plain->text, Not(HasSubstr("Welcome everyone")));
  DocumentOptions options;
  options.speaker_notes = true;
  Result<Document> noted = ReadFixture("slides.pptx", Fixture("slides.pptx"), options);
  ASSERT_TRUE(noted.has_value()) << noted.error().ToString();
  // After the opening slide's own text, before the second slide; the notes slide's number
  // placeholder is not notes.
  EXPECT_THAT(noted->text, HasSubstr("A free text box.\n\nSpeaker notes: Welcome everyone.\n\nMention the herons.\n\n# Second slide"));
  EXPECT_THAT(noted->text, Not(HasSubstr("\n2\n")));
}

TEST(PackageReaderTest, DocxKeepsWhatItShouldAndDropsTheRest) {
  Result<Document> doc = ReadFixture("features.docx", Fixture("features.docx"));
  ASSERT_TRUE(doc.has_value());
  EXPECT_THAT(doc->text, HasSubstr("kept inserted end"));       // insertion kept
  EXPECT_THAT(doc->text, Not(HasSubstr("deleted")));            // deletion dropped
  EXPECT_THAT(doc->text, Not(HasSubstr("HYPERLINK")));          // field code dropped, result kept
  EXPECT_THAT(doc->text, HasSubstr("A field: shown result"));
  EXPECT_THAT(doc->text, Not(HasSubstr("SECRET REVIEW COMMENT")));  // comments excluded
  // The text box is in mc:Choice and mc:Fallback: read once.
  const std::string& text = doc->text;
  const size_t first = text.find("Text box words");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(text.find("Text box words", first + 1), std::string::npos);
  EXPECT_THAT(text, HasSubstr("[^1]: The footnote text."));
  EXPECT_EQ(doc->title, "Reader features");
}

// Running headers and footers never reach the body text (a chunk would repeat them on
// every page's worth of text), but are not lost: each distinct one is kept once, in
// metadata a template can use or skip. Page-number fields keep their cached text.
TEST(PackageReaderTest, RunningHeadersAndFootersAreMetadataNotBodyText) {
  for (const char* name : {"headers.docx", "headers.odt"}) {
    SCOPED_TRACE(name);
    Result<Document> doc = ReadFixture(name, Fixture(name));
    ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
    EXPECT_THAT(doc->text, Not(HasSubstr("ACME")));
    EXPECT_THAT(doc->text, Not(HasSubstr("Page 1")));
    EXPECT_THAT(doc->text, Not(HasSubstr("Draft")));
    EXPECT_THAT(doc->text, HasSubstr("talks about herons."));
    const std::string* headers = doc->metadata.FindJson("running_headers");
    const std::string* footers = doc->metadata.FindJson("running_footers");
    ASSERT_NE(headers, nullptr);
    ASSERT_NE(footers, nullptr);
    EXPECT_EQ(*headers, "[\"ACME Corp — Confidential\",\"Annual report 2025\\nDraft\"]");
    EXPECT_EQ(*footers, "[\"Page 1\"]");  // once, though two sections name it; never "Hidden footer"
  }
  Result<Document> plain = ReadFixture("features.docx", Fixture("features.docx"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->metadata.FindJson("running_headers"), nullptr);  // none: no key at all
}

TEST(PackageReaderTest, XmlExternalEntitiesAreNeitherReadNorFetched) {
  Result<Document> doc = ReadFixture("xxe.docx", Fixture("xxe.docx"));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  EXPECT_THAT(doc->text, HasSubstr("Before"));
  EXPECT_THAT(doc->text, Not(HasSubstr("root:")));  // /etc/passwd
}

TEST(PackageReaderTest, EpubSkipsNavAndPathsOutOfThePackage) {
  Result<Document> doc = ReadFixture("book.epub", Fixture("book.epub"));
  ASSERT_TRUE(doc.has_value());
  EXPECT_THAT(doc->text, Not(HasSubstr("Contents")));
  EXPECT_THAT(doc->text, Not(HasSubstr("ESCAPED")));
  EXPECT_LT(doc->text.find("Waders"), doc->text.find("Songbirds"));  // spine order
}

// Each failure is its own ledger reason.
TEST(PackageReaderTest, HostileOrDamagedPackagesNameTheirReason) {
  Result<Document> bomb = ReadFixture("bomb.docx", Fixture("bomb.docx"));
  ASSERT_FALSE(bomb.has_value());
  EXPECT_EQ(RejectionReasonOf(bomb.error()), RejectReason::kPackageTooLarge) << bomb.error().message();

  Result<Document> malformed = ReadFixture("malformed.docx", Fixture("malformed.docx"));
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(RejectionReasonOf(malformed.error()), RejectReason::kInvalidXml);
  EXPECT_THAT(malformed.error().message(), HasSubstr("word/document.xml"));

  const std::string sample = Fixture("sample.docx");
  Result<Document> truncated = ReadFixture("cut.docx", sample.substr(0, sample.size() / 2));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(RejectionReasonOf(truncated.error()), RejectReason::kCorruptPackage) << truncated.error().message();

  Result<Document> not_zip = ReadFixture("notes.docx", "just some text, named .docx");
  ASSERT_FALSE(not_zip.has_value());
  EXPECT_EQ(RejectionReasonOf(not_zip.error()), RejectReason::kCorruptPackage);
}

// Builds a ZIP in memory with libzip; `password` encrypts every member.
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& members, const char* password = nullptr) {
  ::tunepack::testing::TempDir tmp;
  const std::string path = (tmp / "p.zip").string();
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  for (const auto& [name, data] : members) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    const zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
    if (password != nullptr) zip_file_set_encryption(archive, static_cast<zip_uint64_t>(index), ZIP_EM_AES_256, password);
  }
  zip_close(archive);
  return ::tunepack::testing::ReadFile(path);
}

TEST(PackageReaderTest, EncryptedPackageIsItsOwnReason) {
  const std::string document = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>";
  const std::string zip = MakeZip({{"word/document.xml", document}}, "secret");
  Result<Document> doc = ReadFixture("locked.docx", zip);
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kEncryptedPackage) << doc.error().message();
}

TEST(PackageReaderTest, EmptyHeadingsAndListItemsMakeNoBlocks) {
  const std::string w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
  const std::string document =
      "<w:document " + w + "><w:body>"
      "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr></w:p>"
      "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t> </w:t></w:r></w:p>"
      "<w:p><w:r><w:t>Only text.</w:t></w:r></w:p></w:body></w:document>";
  Result<Document> doc = ReadFixture("empty.docx", MakeZip({{"word/document.xml", document}}));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  EXPECT_EQ(doc->text, "Only text.");
  ASSERT_EQ(doc->blocks.size(), 1u);
  EXPECT_EQ(doc->blocks[0].kind, BlockKind::kParagraph);
}

TEST(PackageReaderTest, ZipLimitsCountWhatComesOut) {
  const std::string zip = MakeZip({{"a.xml", std::string(3 << 20, 'x')}, {"b.xml", std::string(100, 'y')}});
  internal::ZipLimits limits;
  limits.max_member_bytes = 1 << 20;
  auto package = internal::ZipPackage::Open(zip, limits);
  ASSERT_TRUE(package.has_value());
  Result<std::string> big = (*package)->Read("a.xml");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(RejectionReasonOf(big.error()), RejectReason::kPackageTooLarge);
  EXPECT_EQ((*package)->Read("b.xml").value(), std::string(100, 'y'));
  EXPECT_FALSE((*package)->Read("missing.xml").has_value());
}

// document.xml is parsed as it is decompressed: a part past a limit stops the read with
// the member's own reason (not a parse error at the place the stream was cut), and a
// paragraph split across the reader's buffers comes out whole.
TEST(PackageReaderTest, StreamedMainPartKeepsTheLimitsAndTheirReason) {
  const std::string w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "<w:p><w:r><w:t>Paragraph " + std::to_string(i) + " of many.</w:t></w:r></w:p>";
  const std::string document = "<w:document " + w + "><w:body>" + body + "</w:body></w:document>";
  ASSERT_GT(document.size(), 1u << 20);
  const std::string zip = MakeZip({{"word/document.xml", document}});
  Result<Document> whole = ReadFixture("many.docx", zip);
  ASSERT_TRUE(whole.has_value()) << whole.error().ToString();
  EXPECT_EQ(whole->blocks.size(), 20000u);
  EXPECT_THAT(whole->text, HasSubstr("Paragraph 12345 of many.\n\nParagraph 12346 of many."));

  auto package = internal::ZipPackage::Open(zip, internal::ZipLimits{.max_member_bytes = 256 << 10});
  ASSERT_TRUE(package.has_value());
  auto stream = internal::XmlPartStream::Open(**package, "word/document.xml");
  ASSERT_TRUE(stream.has_value());
  Status status = (*stream)->Finish();
  EXPECT_EQ(RejectionReasonOf(status), RejectReason::kPackageTooLarge) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("word/document.xml"));
}

// ODT's content.xml is streamed too: its automatic list styles (before the body) still
// number lists, a content.xml without a text body is not a text document, and damage after
// the body is still found.
TEST(PackageReaderTest, StreamedOdtContentReadsAsBefore) {
  const std::string ns =
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"";
  const std::string styles =
      "<office:automatic-styles><text:list-style style:name=\"L1\"><text:list-level-style-number text:level=\"1\"/>"
      "</text:list-style></office:automatic-styles>";
  const std::string body =
      "<office:body><office:text><text:p>Intro<text:note><text:note-body><text:p>A note.</text:p></text:note-body></text:note></text:p>"
      "<text:list text:style-name=\"L1\"><text:list-item><text:p>first</text:p></text:list-item></text:list>"
      "</office:text></office:body>";
  auto odt = [](const std::string& content) {
    return MakeZip({{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", content}});
  };
  Result<Document> doc = ReadFixture("a.odt", odt("<office:document-content " + ns + ">" + styles + body + "</office:document-content>"));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  EXPECT_EQ(doc->text, "Intro[^1]\n\n1. first\n\n[^1]: A note.");

  Result<Document> spreadsheet = ReadFixture("b.odt", odt("<office:document-content " + ns + "><office:body><office:spreadsheet/></office:body></office:document-content>"));
  ASSERT_FALSE(spreadsheet.has_value());
  EXPECT_EQ(RejectionReasonOf(spreadsheet.error()), RejectReason::kCorruptPackage);

  // An undeclared prefix is a namespace error, not a well-formedness one: read as before.
  Result<Document> prefixed = ReadFixture("d.odt", odt("<office:document-content " + ns + ">" + "<office:body><office:text><text:p>Kept <x:y>words</x:y></text:p></office:text></office:body></office:document-content>"));
  ASSERT_TRUE(prefixed.has_value()) << prefixed.error().ToString();
  EXPECT_EQ(prefixed->text, "Kept words");

  Result<Document> damaged = ReadFixture("c.odt", odt("<office:document-content " + ns + ">" + body + "<office:x></office:document-content>"));
  ASSERT_FALSE(damaged.has_value());
  EXPECT_EQ(RejectionReasonOf(damaged.error()), RejectReason::kInvalidXml);
  EXPECT_THAT(damaged.error().message(), HasSubstr("content.xml is not well-formed XML"));
}

// Hostile XML in the main part is refused, or read without expansion, quickly: nesting
// past libxml2's depth limit and entities that would expand a billion times.
TEST(PackageReaderTest, HostileMainPartXmlIsBounded) {
  const std::string w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
  std::string deep = "<w:document " + w + "><w:body><w:p><w:r><w:t>top</w:t></w:r></w:p>";
  for (int i = 0; i < 100000; ++i) deep += "<w:sdt>";
  for (int i = 0; i < 100000; ++i) deep += "</w:sdt>";
  deep += "</w:body></w:document>";
  Result<Document> nested = ReadFixture("deep.docx", MakeZip({{"word/document.xml", deep}}));
  ASSERT_FALSE(nested.has_value());
  EXPECT_EQ(RejectionReasonOf(nested.error()), RejectReason::kInvalidXml) << nested.error().ToString();
  EXPECT_THAT(nested.error().message(), HasSubstr("word/document.xml is not well-formed XML (line 1"));

  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY l0 \"ha\">";
  for (int i = 1; i <= 10; ++i) {
    laughs += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) laughs += "&l" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  laughs += "]><w:document " + w + "><w:body><w:p><w:r><w:t>Laugh: &l10; end</w:t></w:r></w:p></w:body></w:document>";
  Result<Document> doc = ReadFixture("laughs.docx", MakeZip({{"word/document.xml", laughs}}));
  if (doc.has_value()) {
    EXPECT_LT(doc->text.size(), 100u) << "an entity was expanded";
    EXPECT_THAT(doc->text, Not(HasSubstr("haha")));
  } else {
    EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kInvalidXml) << doc.error().ToString();
  }
}

TEST(PackageReaderTest, MemberPathsStayInsideThePackage) {
  using internal::ResolveMemberPath;
  EXPECT_EQ(ResolveMemberPath("OEBPS/content.opf", "text/ch%201.xhtml#p2"), "OEBPS/text/ch 1.xhtml");
  EXPECT_EQ(ResolveMemberPath("ppt/presentation.xml", "slides/slide1.xml"), "ppt/slides/slide1.xml");
  EXPECT_EQ(ResolveMemberPath("ppt/slides/slide1.xml", "../media/a.png"), "ppt/media/a.png");
  EXPECT_EQ(ResolveMemberPath("OEBPS/content.opf", "../../etc/passwd"), "");
  EXPECT_EQ(ResolveMemberPath("a.opf", "/etc/passwd"), "");
  EXPECT_EQ(ResolveMemberPath("a.opf", "http://example.org/x"), "");
}

TEST(PackageReaderTest, TypeComesFromContentNotTheExtension) {
  EXPECT_EQ(DetectInputType("book.zip", Fixture("book.epub")).reader, "epub");  // mimetype not first
  EXPECT_EQ(DetectInputType("report", Fixture("sample.docx")).reader, "docx");
  EXPECT_EQ(DetectInputType("talk.bin", Fixture("slides.pptx")).reader, "pptx");
  EXPECT_EQ(DetectInputType("x", Fixture("sample.odt")).reader, "odt");
  const InputType misnamed = DetectInputType("notes.txt", Fixture("features.docx"));
  EXPECT_EQ(misnamed.reader, "docx");
  EXPECT_THAT(misnamed.warning, HasSubstr("looks like docx"));
  EXPECT_EQ(DetectInputType("plain.zip", MakeZip({{"a.txt", "x"}})).kind, InputKind::kBinary);
}

}  // namespace
}  // namespace tunepack::ingest
