// End-to-end: `tunepack export` on a folder mixing Markdown, HTML, DOCX, EPUB, ODT, PPTX
// and gzip-compressed files, with hostile packages among them (issue 13): each document is
// one example, each bad package one ledger line with its own reason.
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

TEST(DocumentFolderTest, MixedFolderExportsEveryDocumentAndLedgersTheBadOnes) {
  TempDir tmp;
  const fs::path data = fs::path(TP_SOURCE_DIR) / "tests/data/documents";
  const fs::path in = tmp / "in";
  fs::create_directories(in);
  for (const char* name : {"sample.docx", "sample.odt", "book.epub", "slides.pptx", "sample.html",
                           "bomb.docx", "malformed.docx", "xxe.docx"}) {
    fs::copy_file(data / name, in / name);
  }
  WriteFile(in / "notes.md", "# Notes\n\nMarkdown notes.\n");
  WriteFile(in / "README", "A gzipped readme.\n");
  ASSERT_EQ(RunShell("gzip -n " + Quote(in / "README")).exit_code, 0);
  fs::copy_file(data / "features.docx", in / "report.bin");  // a DOCX by content only
  WriteFile(in / "fake.docx", "not a package at all");
  {
    const std::string docx = ReadFile(data / "sample.docx");
    WriteFile(in / "cut.docx", docx.substr(0, docx.size() / 2));
  }
  auto run = RunShell("timeout -k 5 60 tunepack export " + Quote(in) + " -o " + Quote(tmp / "out") +
                      " --format jsonl --progress none --with-metadata 2>&1");
  ASSERT_EQ(run.exit_code, 1) << run.out;  // 1: some inputs were rejected

  std::map<std::string, std::string> text_by_source;
  for (const auto& line : JsonLines(tmp / "out" / "train.jsonl")) {
    text_by_source[fs::path(line["metadata"]["source"].get<std::string>()).filename().string()] =
        line["text"].get<std::string>();
  }
  std::map<std::string, std::string> reasons;
  for (const auto& line : JsonLines(tmp / "out" / "rejected.jsonl")) {
    reasons[fs::path(line["source"].get<std::string>()).filename().string()] = line["reason"].get<std::string>();
  }
  EXPECT_EQ(reasons, (std::map<std::string, std::string>{{"bomb.docx", "package_too_large"},
                                                         {"cut.docx", "corrupt_package"},
                                                         {"fake.docx", "corrupt_package"},
                                                         {"malformed.docx", "invalid_xml"}}));
  EXPECT_EQ(text_by_source.size(), 9u);
  EXPECT_THAT(text_by_source["sample.docx"], HasSubstr("## Herons"));
  EXPECT_THAT(text_by_source["sample.docx"], HasSubstr("| Egret \\| small | 3 |"));
  EXPECT_THAT(text_by_source["sample.odt"], HasSubstr("### Notes on counting"));
  EXPECT_THAT(text_by_source["book.epub"], HasSubstr("# Waders"));
  EXPECT_THAT(text_by_source["slides.pptx"], HasSubstr("# Opening"));
  EXPECT_THAT(text_by_source["report.bin"], HasSubstr("kept inserted end"));
  EXPECT_THAT(text_by_source["README.gz"], HasSubstr("A gzipped readme."));
  EXPECT_THAT(text_by_source["xxe.docx"], Not(HasSubstr("root:")));
  // The same content as HTML and as DOCX gives the same headings and table.
  EXPECT_THAT(text_by_source["sample.html"], HasSubstr("| Egret \\| small | 3 |"));

  const auto manifest = nlohmann::json::parse(ReadFile(tmp / "out" / "manifest.json"));
  std::map<std::string, std::string> types;
  for (const auto& input : manifest["inputs"]) {
    types[fs::path(input["path"].get<std::string>()).filename().string()] = input["type"].get<std::string>();
  }
  EXPECT_EQ(types["report.bin"], "docx");
  EXPECT_EQ(types["book.epub"], "epub");
  EXPECT_EQ(types["slides.pptx"], "pptx");
  EXPECT_EQ(types["sample.odt"], "odt");
}

}  // namespace
}  // namespace tunepack
