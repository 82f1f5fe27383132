// End-to-end: `tunepack export` on a folder mixing PDFs (tests/data/pdf/) with Markdown,
// through the real helper built beside the binary: every input in the ledger with its
// reason, PDF text in reading order, the same bytes at any thread count, and one clear
// reason when the helper is missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

const fs::path kFixtures = fs::path(TP_SOURCE_DIR) / "tests/data/pdf";
const fs::path kHelper = fs::path(TP_BINARY).parent_path() / "tunepack-pdf";

// Copies the PDF fixtures and a Markdown file into `in`.
void MakeInputs(const fs::path& in) {
  fs::create_directories(in);
  for (const char* name : {"two_column.pdf", "handbook.pdf", "scanned.pdf", "encrypted.pdf",
                           "damaged.pdf", "blank.pdf"}) {
    fs::copy_file(kFixtures / name, in / name);
  }
  // A PDF under a name that says otherwise is still a PDF.
  fs::copy_file(kFixtures / "two_column.pdf", in / "renamed.dat");
  WriteFile(in / "notes.md", "# Notes\n\nMarkdown beside the PDFs.\n");
}

std::map<std::string, std::string> ReasonsBySource(const fs::path& out) {
  std::map<std::string, std::string> reasons;
  for (const nlohmann::json& r : JsonLines(out / "rejected.jsonl")) {
    reasons[fs::path(r["source"].get<std::string>()).filename().string()] =
        r["reason"].get<std::string>();
  }
  return reasons;
}

TEST(PdfExportTest, MixedFolderIsAccountedForWithAReasonPerPdf) {
  if (!fs::exists(kHelper)) GTEST_SKIP() << "tunepack-pdf not built";
  TempDir tmp;
  MakeInputs(tmp / "in");
  const std::string base = "tunepack export " + Quote(tmp / "in") + " --format text --progress none";
  auto one = RunShell(base + " -o " + Quote(tmp / "out1") + " --jobs 1 2>/dev/null");
  EXPECT_EQ(one.exit_code, 1);  // finished, with rejections
  const std::map<std::string, std::string> reasons = ReasonsBySource(tmp / "out1");
  EXPECT_EQ(reasons, (std::map<std::string, std::string>{{"scanned.pdf", "no_text_layer"},
                                                          {"encrypted.pdf", "encrypted_pdf"},
                                                          {"damaged.pdf", "corrupt_pdf"},
                                                          {"blank.pdf", "empty_document"}}));
  const std::string data = ReadFile(tmp / "out1" / "train.txt");
  EXPECT_THAT(data, HasSubstr("# Reading documents with tunepack"));
  EXPECT_THAT(data, HasSubstr("# Getting started"));
  EXPECT_THAT(data, HasSubstr("# Notes"));
  EXPECT_THAT(data, Not(HasSubstr("Tunepack Test Manual")));
  EXPECT_THAT(data, Not(HasSubstr("The tunepack handbook")));

  auto two = RunShell(base + " -o " + Quote(tmp / "out2") + " --jobs 2 2>/dev/null");
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_EQ(ReadFile(tmp / "out2" / "train.txt"), data);
}

TEST(PdfExportTest, MissingHelperGetsOneClearReason) {
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(kFixtures / "two_column.pdf", tmp / "in" / "paper.pdf");
  auto result = RunShell("TUNEPACK_PDF_HELPER=/nonexistent/tunepack-pdf tunepack export " +
                         Quote(tmp / "in") + " -o " + Quote(tmp / "out") +
                         " --format text --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  const std::vector<nlohmann::json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "pdf_helper_missing");
  EXPECT_THAT(rejected[0].dump(), HasSubstr("libpoppler-cpp-dev"));
}

}  // namespace
}  // namespace tunepack
