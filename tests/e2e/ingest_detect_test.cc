// End-to-end tests of how `tunepack export` reads awkward inputs found in the wild (issue 9,
// section 6): UTF-16 JSON Lines, a NUL byte in one JSONL line, and Markdown that starts like
// a JSON array. The ledger must account for each record as it really is.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

nlohmann::json Export(const fs::path& input, const fs::path& out) {
  RunShell("tunepack export " + Quote(input) + " -o " + Quote(out) +
           " --format jsonl --progress none 2>/dev/null");
  return nlohmann::json::parse(ReadFile(out / "manifest.json"))["counts"];
}

// Returns `ascii` as UTF-16LE.
std::string Utf16Le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

TEST(IngestDetectTest, Utf16JsonLinesAreDecoded) {
  TempDir tmp;
  const std::string records = "{\"text\":\"first\"}\r\n{\"text\":\"second\"}\r\n";
  for (const std::string& bytes : {"\xFF\xFE" + Utf16Le(records), Utf16Le(records)}) {
    WriteFile(tmp / "in.jsonl", bytes);
    fs::remove_all(tmp / "out");
    const nlohmann::json counts = Export(tmp / "in.jsonl", tmp / "out");
    EXPECT_EQ(counts["inputs"], 2) << counts;  // was 3: the NUL after the last '\n'
    EXPECT_EQ(counts["written"], 2) << counts;
    const std::string data = ReadFile(tmp / "out" / "train.jsonl");
    EXPECT_EQ(data, "{\"text\":\"first\"}\n{\"text\":\"second\"}\n");
  }
}

TEST(IngestDetectTest, NulByteRejectsOnlyItsLine) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", std::string("{\"text\":\"one\"}\n{\"text\":\"t\0o\"}\n{\"text\":\"three\"}\n",
                                          47));
  const nlohmann::json counts = Export(tmp / "in.jsonl", tmp / "out");
  EXPECT_EQ(counts["inputs"], 3) << counts;
  EXPECT_EQ(counts["written"], 2) << counts;
  auto rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "malformed_json") << rejected[0];
  EXPECT_EQ(rejected[0]["line"], 2);
}

TEST(IngestDetectTest, MarkdownStartingLikeAJsonArrayIsMarkdown) {
  TempDir tmp;
  WriteFile(tmp / "notes.md", "[1, 2, 3] is a list of numbers.\n\n## Why\n\nBecause.\n");
  const nlohmann::json counts = Export(tmp / "notes.md", tmp / "out");
  EXPECT_EQ(counts["written"], 1) << counts;
  EXPECT_EQ(counts["rejected"], 0) << counts;
  EXPECT_EQ(ReadFile(tmp / "out" / "train.jsonl"),
            "{\"text\":\"[1, 2, 3] is a list of numbers.\\n\\n## Why\\n\\nBecause.\"}\n");
}

}  // namespace
}  // namespace tunepack
