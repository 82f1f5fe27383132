// End-to-end tests of the output folder's safety rules (issue 9 section 3): an export never
// empties its own input, never replaces a file it did not write, locks the folder for the
// run, writes only plain split names inside the folder, and shows its outputs only once
// they are complete.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
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

constexpr char kRecords[] =
    "{\"instruction\":\"Add 2 and 2.\",\"output\":\"4\"}\n"
    "{\"instruction\":\"Add 3 and 3.\",\"output\":\"6\"}\n"
    "{\"instruction\":\"Add 4 and 4.\",\"output\":\"8\"}\n";

TEST(OutputFolderTest, RefusesAnOutputFolderThatHoldsAnInput) {
  TempDir tmp;
  WriteFile(tmp / "d" / "train.jsonl", kRecords);
  for (const std::string verb : {"export", "convert --to openai"}) {
    auto run = RunShell("tunepack " + verb + " " + Quote(tmp / "d" / "train.jsonl") + " -o " +
                        Quote(tmp / "d") + " --progress none 2>&1");
    EXPECT_EQ(run.exit_code, 2) << verb;
    EXPECT_THAT(run.out, HasSubstr("inside the output folder")) << verb;
    EXPECT_EQ(ReadFile(tmp / "d" / "train.jsonl"), kRecords) << verb;
  }
  // Also when the input is the folder itself.
  auto folder = RunShell("tunepack export " + Quote(tmp / "d") + " -o " + Quote(tmp / "d") +
                         " --overwrite --progress none 2>&1");
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_EQ(ReadFile(tmp / "d" / "train.jsonl"), kRecords);
}

TEST(OutputFolderTest, RefusesAFolderHoldingFilesTunepackDidNotWrite) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  WriteFile(tmp / "out" / "stats.json", "{\"mine\": true}\n");
  const std::string base = "tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                           " --format openai --progress none";
  for (const std::string flags : {"", " --overwrite", " --resume"}) {
    auto run = RunShell(base + flags + " 2>&1");
    EXPECT_EQ(run.exit_code, 2) << flags;
    EXPECT_THAT(run.out, HasSubstr("did not write")) << flags;
    EXPECT_EQ(ReadFile(tmp / "out" / "stats.json"), "{\"mine\": true}\n") << flags;
  }
}

TEST(OutputFolderTest, OverwriteRemovesOnlyTheFilesOfTheEarlierManifest) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  const std::string base = "tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                           " --format openai --progress none";
  ASSERT_EQ(RunShell(base + " --max-records-per-file 1 2>&1").exit_code, 0);
  ASSERT_TRUE(fs::exists(tmp / "out" / "train-00002.jsonl"));
  ASSERT_EQ(RunShell(base + " --overwrite 2>&1").exit_code, 0);
  EXPECT_FALSE(fs::exists(tmp / "out" / "train-00000.jsonl"));
  EXPECT_FALSE(fs::exists(tmp / "out" / "train-00002.jsonl"));
  EXPECT_EQ(JsonLines(tmp / "out" / "train.jsonl").size(), 3u);
  // A file of the user's beside the export: --overwrite refuses rather than touch it.
  WriteFile(tmp / "out" / "notes.txt", "mine");
  auto refused = RunShell(base + " --overwrite 2>&1");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.out, HasSubstr("notes.txt"));
  EXPECT_EQ(ReadFile(tmp / "out" / "notes.txt"), "mine");
  EXPECT_TRUE(fs::exists(tmp / "out" / "train.jsonl"));
}

TEST(OutputFolderTest, ASecondRunIntoALockedFolderNamesTheProcess) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  fs::create_directories(tmp / "out");
  // Hold the folder's lock as a running export would.
  const int fd = open((tmp / "out" / ".tunepack.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string pid = std::to_string(getpid());
  ASSERT_EQ(write(fd, pid.data(), pid.size()), static_cast<ssize_t>(pid.size()));
  auto run = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                      " --format openai --progress none 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("in use by process " + pid));
  EXPECT_FALSE(fs::exists(tmp / "out" / "train.jsonl"));
  close(fd);
  auto after = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                        " --format openai --progress none 2>&1");
  EXPECT_EQ(after.exit_code, 0) << after.out;
  // The lock file goes with the run that took it.
  EXPECT_FALSE(fs::exists(tmp / "out" / ".tunepack.lock"));
}

TEST(OutputFolderTest, SplitNamesMustBePlainNames) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  for (const std::string split : {"../../victim=1.0", "rejected=1.0", "manifest=0.5,train=0.5",
                                  "a/b=1", "stats=1", ".hidden=1", "train=0.5,train=0.5"}) {
    auto run = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "a" / "b" / "out") +
                        " --split " + split + " --format openai --progress none 2>&1");
    EXPECT_EQ(run.exit_code, 2) << split;
    EXPECT_THAT(run.out, HasSubstr("split")) << split;
  }
  EXPECT_FALSE(fs::exists(tmp / "victim.jsonl"));
  EXPECT_FALSE(fs::exists(tmp / "a" / "b" / "out" / "rejected.jsonl"));
}

TEST(OutputFolderTest, TheRootFolderIsRefused) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  auto run = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o / --progress none 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("/"));
  EXPECT_FALSE(fs::exists("/train.jsonl"));
  EXPECT_FALSE(fs::exists("/manifest.json"));
}

TEST(OutputFolderTest, OutputsAppearOnlyWhenComplete) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  // --strict stops the run at the first rejection, after some records were written.
  WriteFile(tmp / "bad.jsonl", std::string(kRecords) + "{broken\n");
  auto run = RunShell("tunepack export " + Quote(tmp / "bad.jsonl") + " -o " + Quote(tmp / "out") +
                      " --strict --progress none 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  // No half-written data file or ledger under its final name.
  for (const auto& entry : fs::directory_iterator(tmp / "out")) {
    EXPECT_EQ(entry.path().filename().string()[0], '.') << entry.path();
  }
}

TEST(OutputFolderTest, ARunKilledWhileRenamingIsFinishedByTheNextRun) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kRecords);
  const std::string args = " --format openai --max-records-per-file 2 --progress none";
  ASSERT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "ref") + args).exit_code, 0);
  // The state of a run killed halfway through its renames: the staging folder holds the
  // finished manifest and the files not yet moved; one data file is already in place.
  fs::create_directories(tmp / "out" / ".tunepack-partial");
  for (const auto& entry : fs::directory_iterator(tmp / "ref")) {
    const std::string name = entry.path().filename().string();
    const bool moved = name == "train-00000.jsonl";
    fs::copy_file(entry.path(), tmp / "out" / (moved ? "" : ".tunepack-partial") / name);
  }
  auto next = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") + args + " 2>&1");
  EXPECT_EQ(next.exit_code, 2);  // it finished the export, which it then will not overwrite
  EXPECT_THAT(next.out, HasSubstr("already holds an export"));
  EXPECT_FALSE(fs::exists(tmp / "out" / ".tunepack-partial"));
  for (const auto& entry : fs::directory_iterator(tmp / "ref")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(ReadFile(tmp / "out" / name), ReadFile(entry.path())) << name;
  }
}

}  // namespace
}  // namespace tunepack
