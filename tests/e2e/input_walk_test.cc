// End-to-end tests of how `tunepack export` walks input folders when the folder is hostile:
// file names that are not UTF-8, symlink loops, links out of the folder, FIFOs, devices,
// dangling links, unreadable subfolders and files that are not documents. Each path the walk
// skips is one ledger line, and nothing aborts the export or hangs it (issue 9 sections 1
// and 6, issue 8 section 4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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
using ::testing::HasSubstr;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Exports folder `in` to `out` as text JSONL; `timeout` bounds a hang to a failure.
testing::CommandOutput ExportFolder(const fs::path& in, const fs::path& out, const std::string& extra = "") {
  return RunShell("timeout -k 5 60 tunepack export " + Quote(in) + " -o " + Quote(out) +
                  " --format jsonl --progress none " + extra + " 2>&1");
}

// Returns reason by source file name (relative to `in`) from rejected.jsonl.
std::map<std::string, std::string> LedgerReasons(const fs::path& out, const fs::path& in) {
  std::map<std::string, std::string> reasons;
  for (const auto& line : JsonLines(out / "rejected.jsonl")) {
    const std::string source = line["source"].get<std::string>();
    const std::string prefix = in.string() + "/";
    reasons[source.rfind(prefix, 0) == 0 ? source.substr(prefix.size()) : source] =
        line["reason"].get<std::string>();
  }
  return reasons;
}

TEST(InputWalkTest, FileNameThatIsNotUtf8IsExportedAndWrittenToJsonSafely) {
  TempDir tmp;
  WriteFile(tmp / "in" / "ok.txt", "A plain document.\n");
  WriteFile(tmp / "in" / "caf\xe9.txt", "A document whose name is Latin-1.\n");
  auto run = ExportFolder(tmp / "in", tmp / "out", "--with-metadata");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  // Every file tunepack wrote is valid JSON (nlohmann refuses invalid UTF-8 when parsing).
  const auto manifest = nlohmann::json::parse(ReadFile(tmp / "out" / "manifest.json"));
  ASSERT_EQ(manifest["inputs"].size(), 2u);
  const auto& latin = manifest["inputs"][0];
  EXPECT_THAT(latin["path"].get<std::string>(), HasSubstr("caf\\xe9.txt"));
  // The raw bytes of the name are recoverable from the manifest.
  EXPECT_THAT(latin["path_hex"].get<std::string>(), HasSubstr("636166e92e747874"));
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 2u);
  // --resume reads the same names (it crashed at the same place).
  auto again = RunShell("tunepack export " + Quote(tmp / "in") + " -o " + Quote(tmp / "out") +
                        " --format jsonl --with-metadata --progress none --resume 2>&1");
  EXPECT_EQ(again.exit_code, 0) << again.out;
}

TEST(InputWalkTest, SymlinkLoopIsOneLedgerLine) {
  TempDir tmp;
  WriteFile(tmp / "in" / "a.txt", "A document.\n");
  fs::create_directory_symlink("loop", tmp / "in" / "loop");
  fs::create_symlink("self", tmp / "in" / "self");
  auto run = ExportFolder(tmp / "in", tmp / "out", "--follow-links");
  ASSERT_EQ(run.exit_code, 1) << run.out;
  ASSERT_TRUE(fs::exists(tmp / "out" / "manifest.json"));
  const auto reasons = LedgerReasons(tmp / "out", tmp / "in");
  EXPECT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons.at("loop"), "unreadable");
  EXPECT_EQ(reasons.at("self"), "unreadable");
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 1u);
}

TEST(InputWalkTest, FifosDevicesAndDanglingLinksEachGetALedgerLine) {
  TempDir tmp;
  WriteFile(tmp / "in" / "a.txt", "A document.\n");
  ASSERT_EQ(mkfifo((tmp / "in" / "pipe.txt").c_str(), 0644), 0);
  fs::create_symlink("missing.txt", tmp / "in" / "dangling.txt");
  const bool device = mknod((tmp / "in" / "null.txt").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0;
  auto run = ExportFolder(tmp / "in", tmp / "out");
  ASSERT_EQ(run.exit_code, 1) << run.out;  // not 124: the FIFO must not hang the walk
  const auto reasons = LedgerReasons(tmp / "out", tmp / "in");
  EXPECT_EQ(reasons.at("pipe.txt"), "special_file");
  EXPECT_EQ(reasons.at("dangling.txt"), "dangling_link");
  if (device) {
    EXPECT_EQ(reasons.at("null.txt"), "special_file");
  }
  EXPECT_EQ(reasons.size(), device ? 3u : 2u);
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 1u);
}

TEST(InputWalkTest, LinksOutOfTheFolderAreNotFollowedUnlessAsked) {
  TempDir tmp;
  WriteFile(tmp / "secret.txt", "Outside the input folder.\n");
  WriteFile(tmp / "in" / "a.txt", "A document.\n");
  WriteFile(tmp / "in" / "sub" / "b.txt", "Another document.\n");
  fs::create_symlink(tmp / "secret.txt", tmp / "in" / "secret.txt");
  fs::create_symlink("sub/b.txt", tmp / "in" / "inside.txt");  // stays in the folder
  auto run = ExportFolder(tmp / "in", tmp / "out");
  ASSERT_EQ(run.exit_code, 1) << run.out;
  const auto reasons = LedgerReasons(tmp / "out", tmp / "in");
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons.at("secret.txt"), "link_outside_input");
  EXPECT_THAT(ReadFile(tmp / "out" / "train.jsonl"), ::testing::Not(HasSubstr("Outside")));
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 3u);

  auto followed = ExportFolder(tmp / "in", tmp / "out2", "--follow-links");
  ASSERT_EQ(followed.exit_code, 0) << followed.out;
  EXPECT_THAT(ReadFile(tmp / "out2" / "train.jsonl"), HasSubstr("Outside the input folder."));
}

TEST(InputWalkTest, UnreadableSubfolderIsOneLedgerLineAndTheExportGoesOn) {
  TempDir tmp;
  WriteFile(tmp / "in" / "a.txt", "A document.\n");
  WriteFile(tmp / "in" / "locked" / "b.txt", "Behind a locked door.\n");
  fs::permissions(tmp / "in" / "locked", fs::perms::none);
  // root reads any folder: drop the capabilities that let it, so EACCES is real.
  const std::string prefix =
      geteuid() == 0 ? "setpriv --inh-caps=-all --bounding-set=-dac_override,-dac_read_search " : "";
  auto run = RunShell(prefix + "tunepack export " + Quote(tmp / "in") + " -o " + Quote(tmp / "out") +
                      " --format jsonl --progress none 2>&1");
  fs::permissions(tmp / "in" / "locked", fs::perms::owner_all);
  ASSERT_EQ(run.exit_code, 1) << run.out;
  const auto reasons = LedgerReasons(tmp / "out", tmp / "in");
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons.at("locked"), "unreadable");
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 1u);
}

TEST(InputWalkTest, FilesThatAreNotDocumentsAreSkippedWithAReason) {
  TempDir tmp;
  WriteFile(tmp / "in" / "guide.md", "# Guide\n\nRead this.\n");
  WriteFile(tmp / "in" / "style.css", "body { color: red; }\n");
  WriteFile(tmp / "in" / "app.js", "console.log('x');\n");
  WriteFile(tmp / "in" / "logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
  WriteFile(tmp / "in" / "font.woff2", "wOF2 not really a font");
  WriteFile(tmp / "in" / "site.zip", "PK not really an archive");
  auto run = ExportFolder(tmp / "in", tmp / "out");
  ASSERT_EQ(run.exit_code, 1) << run.out;
  const auto reasons = LedgerReasons(tmp / "out", tmp / "in");
  EXPECT_EQ(reasons.size(), 5u);
  for (const char* name : {"style.css", "app.js", "logo.svg", "font.woff2", "site.zip"}) {
    EXPECT_EQ(reasons.count(name) ? reasons.at(name) : "", "not_a_document") << name;
  }
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 1u);
  // Asked for by name, a style sheet is read.
  auto included = ExportFolder(tmp / "in", tmp / "out2", "--include '*.css'");
  ASSERT_EQ(included.exit_code, 0) << included.out;
  EXPECT_THAT(ReadFile(tmp / "out2" / "train.jsonl"), HasSubstr("color: red"));
}

}  // namespace
}  // namespace tunepack
