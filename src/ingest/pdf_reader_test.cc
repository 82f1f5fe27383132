// The PDF reader end to end through the real helper (build/tunepack-pdf), on the committed
// fixtures of tests/data/pdf/: golden Document text and blocks, and one ledger reason for
// each kind of PDF that cannot be read.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.h"
#include "tunepack/ingest/detect.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/ingest/rejection.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(TP_SOURCE_DIR) / "tests/data/pdf";
const std::filesystem::path kGolden = std::filesystem::path(TP_SOURCE_DIR) / "tests/golden/pdf";
const std::filesystem::path kHelper =
    std::filesystem::path(TP_BINARY).parent_path() / "tunepack-pdf";

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Sets an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

Result<Document> ReadPdf(const std::string& bytes) {
  const DocumentReader* reader = BuiltinDocumentReaders().Find("pdf");
  EXPECT_NE(reader, nullptr);
  return ReadDocument(*reader, bytes, Origin{"in.pdf", 0, 0}, DocumentOptions{});
}

// Returns the Document as the golden files hold it: each block's kind, level, pages and
// heading path, then its text.
std::string Render(const Document& doc) {
  std::string out = "title: " + doc.title + "\n";
  for (const MetadataEntry& entry : doc.metadata.entries()) {
    if (entry.key != "source" && entry.key != "content_hash") {
      out += "metadata " + entry.key + ": " + entry.json + "\n";
    }
  }
  for (const Block& block : doc.blocks) {
    out += "\n[" + std::string(BlockKindName(block.kind));
    if (block.level > 0) out += " " + std::to_string(block.level);
    out += " pages " + std::to_string(block.first_page) + "-" + std::to_string(block.last_page);
    for (const std::string& heading : block.heading_path) out += " > " + heading;
    out += "]\n" + doc.text.substr(block.begin, block.end - block.begin) + "\n";
  }
  return out;
}

class PdfReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kHelper)) GTEST_SKIP() << "tunepack-pdf not built";
  }
  ScopedEnv helper_{"TUNEPACK_PDF_HELPER", kHelper.string()};
};

void ExpectGolden(const std::string& name) {
  Result<Document> doc = ReadPdf(Slurp(kFixtures / (name + ".pdf")));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  const std::string actual = Render(*doc);
  const std::filesystem::path golden = kGolden / (name + ".expected");
  if (std::getenv("TP_UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(kGolden);
    std::ofstream(golden, std::ios::binary) << actual;
  }
  EXPECT_EQ(actual, Slurp(golden)) << "TP_UPDATE_GOLDEN=1 rewrites " << golden;
}

TEST_F(PdfReaderTest, TwoColumnGolden) { ExpectGolden("two_column"); }
TEST_F(PdfReaderTest, HandbookGolden) { ExpectGolden("handbook"); }
TEST_F(PdfReaderTest, TableGolden) { ExpectGolden("table"); }

TEST_F(PdfReaderTest, AlignedRowsBecomeAMarkdownTable) {
  Result<Document> doc = ReadPdf(Slurp(kFixtures / "table.pdf"));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  std::vector<std::string> tables;
  for (const Block& block : doc->blocks) {
    if (block.kind == BlockKind::kTable) tables.push_back(doc->text.substr(block.begin, block.end - block.begin));
  }
  ASSERT_EQ(tables.size(), 2u);
  // Header, rule, and the wrapped cell joined back into its row.
  EXPECT_EQ(tables[0].substr(0, tables[0].find('\n')), "| Format | Records | Size (MB) | Notes |");
  EXPECT_NE(tables[0].find("| sharegpt | 12,480 | 39.8 | conversations with roles renamed for older trainers |"),
            std::string::npos);
  EXPECT_NE(tables[1].find("| --chunk-tokens | the token budget of one chunk |"), std::string::npos);
  // The paragraphs around the tables stay paragraphs.
  EXPECT_NE(doc->text.find("Sizes are for uncompressed JSON Lines."), std::string::npos);
  EXPECT_EQ(doc->text.find("| Sizes"), std::string::npos);
}

TEST_F(PdfReaderTest, TwoColumnsComeOutInColumnOrderWithoutRunningLines) {
  Result<Document> doc = ReadPdf(Slurp(kFixtures / "two_column.pdf"));
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  const std::string& text = doc->text;
  // The whole left column comes before the right column's first heading.
  const size_t left_end = text.find("column demands it.");
  const size_t right_start = text.find("## The right column");
  ASSERT_NE(left_end, std::string::npos);
  ASSERT_NE(right_start, std::string::npos);
  EXPECT_LT(left_end, right_start);
  EXPECT_EQ(text.find("Tunepack Test Manual"), std::string::npos);
  EXPECT_EQ(text.find("Page 1"), std::string::npos);
  EXPECT_EQ(text.find("Page 2"), std::string::npos);
  // "doc-umentation" is witnessed whole on page 2; "unders-tandable" is not.
  EXPECT_NE(text.find("organisations documentation responsibilities"), std::string::npos);
  EXPECT_NE(text.find("unders-tandable"), std::string::npos);
  EXPECT_NE(text.find("state-of-the-art"), std::string::npos);
}

std::string ReasonFor(const std::string& bytes) {
  Result<Document> doc = ReadPdf(bytes);
  if (doc.has_value()) return "read";
  const std::optional<RejectReason> reason = RejectionReasonOf(doc.error());
  return reason ? std::string(RejectReasonName(*reason)) : "no reason: " + doc.error().ToString();
}

TEST_F(PdfReaderTest, EachUnreadablePdfGetsItsOwnReason) {
  EXPECT_EQ(ReasonFor(Slurp(kFixtures / "scanned.pdf")), "no_text_layer");
  EXPECT_EQ(ReasonFor(Slurp(kFixtures / "encrypted.pdf")), "encrypted_pdf");
  EXPECT_EQ(ReasonFor(Slurp(kFixtures / "damaged.pdf")), "corrupt_pdf");
  EXPECT_EQ(ReasonFor(Slurp(kFixtures / "blank.pdf")), "empty_document");
}

TEST(PdfReaderHelperTest, MissingHelperSaysWhatToInstall) {
  ScopedEnv helper("TUNEPACK_PDF_HELPER", "/nonexistent/tunepack-pdf");
  Result<Document> doc = ReadPdf("%PDF-1.4\n");
  ASSERT_FALSE(doc.has_value());
  EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kPdfHelperMissing);
  EXPECT_NE(doc.error().message().find("libpoppler-cpp-dev"), std::string::npos);
}

TEST(PdfReaderHelperTest, CrashingOrHangingHelperIsKilledAndRejected) {
  testing::TempDir dir;
  const std::filesystem::path crash = dir / "crash.sh";
  const std::filesystem::path hang = dir / "hang.sh";
  const std::filesystem::path garbage = dir / "garbage.sh";
  std::ofstream(crash) << "#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n";
  std::ofstream(hang) << "#!/bin/sh\nexec sleep 30\n";
  std::ofstream(garbage) << "#!/bin/sh\necho '{\"type\":\"document\"'\n";
  for (const auto& script : {crash, hang, garbage}) ::chmod(script.c_str(), 0755);

  ScopedEnv timeout("TUNEPACK_PDF_TIMEOUT_MS", "300");
  {
    ScopedEnv helper("TUNEPACK_PDF_HELPER", crash.string());
    Result<Document> doc = ReadPdf("%PDF-1.4\n");
    ASSERT_FALSE(doc.has_value());
    EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kPdfHelperFailed);
    EXPECT_NE(doc.error().message().find("killed by signal 11"), std::string::npos)
        << doc.error().message();
  }
  {
    ScopedEnv helper("TUNEPACK_PDF_HELPER", hang.string());
    Result<Document> doc = ReadPdf("%PDF-1.4\n");
    ASSERT_FALSE(doc.has_value());
    EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kPdfHelperFailed);
    EXPECT_NE(doc.error().message().find("timed out"), std::string::npos);
  }
  {
    ScopedEnv helper("TUNEPACK_PDF_HELPER", garbage.string());
    Result<Document> doc = ReadPdf("%PDF-1.4\n");
    ASSERT_FALSE(doc.has_value());
    EXPECT_EQ(RejectionReasonOf(doc.error()), RejectReason::kPdfHelperFailed);
  }
}

TEST(PdfDetectTest, PdfIsKnownByContent) {
  const InputType by_content = DetectInputType("report.bin", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj");
  EXPECT_EQ(by_content.kind, InputKind::kDocument);
  EXPECT_EQ(by_content.reader, "pdf");
  const InputType by_name = DetectInputType("report.pdf", "%PDF-1.4\n");
  EXPECT_EQ(by_name.reader, "pdf");
  EXPECT_TRUE(by_name.warning.empty());
}

}  // namespace
}  // namespace tunepack::ingest
