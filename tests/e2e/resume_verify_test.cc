// End-to-end tests that --resume proves its input is the one the interrupted run read
// (issue 9 section 4), and that data reaches the disk before the checkpoint that covers it
// (section 5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::InterruptAfterACheckpoint;
using testing::Quote;
using testing::ReadFile;
using testing::RunAndKill;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

std::string Corpus(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "{\"conversations\":[{\"from\":\"human\",\"value\":\"Question number " + std::to_string(i) +
           ": how do queues work?\"},{\"from\":\"gpt\",\"value\":\"Answer " + std::to_string(i) +
           ": they hold tasks.\"}]}\n";
  }
  return out;
}

class ResumeVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(tmp_ / "in.sharegpt.jsonl", Corpus(240000));
    const std::string bin_dir = fs::path(TP_BINARY).parent_path().string();
    command_ = "TUNEPACK_CHECKPOINT_EVERY_BATCH=1 '" + bin_dir + "/tunepack' convert " +
               Quote(tmp_ / "in.sharegpt.jsonl") + " --to openai --progress none -j 2 -o " + Quote(tmp_ / "out");
  }
  TempDir tmp_;
  std::string command_;
};

TEST_F(ResumeVerifyTest, ATruncatedInputIsRefusedOrGivesTheOutputOfTheNewInput) {
  if (!InterruptAfterACheckpoint(command_, tmp_ / "out")) GTEST_SKIP() << "no kill landed mid-run";
  const fs::path input = tmp_ / "in.sharegpt.jsonl";
  // Truncated to a third, or, when the run was killed before reading a third, to a third of
  // what it had read (the checkpoint says how much), so the refusal is what is tested.
  uint64_t size = fs::file_size(input) / 3;
  const auto checkpoint = nlohmann::json::parse(ReadFile(tmp_ / "out" / ".tunepack-partial" / "checkpoint.json"),
                                                nullptr, false);
  if (!checkpoint.is_discarded() && checkpoint.contains("sources")) {
    size = std::min<uint64_t>(size, checkpoint["sources"][0]["consumed"].get<uint64_t>() / 3);
  }
  fs::resize_file(input, size);
  auto resumed = RunShell(command_ + " --resume 2>&1");
  EXPECT_EQ(resumed.exit_code, 2) << resumed.out;
  EXPECT_THAT(resumed.out, HasSubstr("changed since the interrupted export"));
  if (resumed.exit_code == 2) return;
  // Whatever a resume does, its output must be that of the input as it is now.
  RunShell("tunepack convert " + Quote(input) + " --to openai --progress none -o " + Quote(tmp_ / "fresh") +
           " 2>/dev/null");
  EXPECT_TRUE(ReadFile(tmp_ / "out" / "train.jsonl") == ReadFile(tmp_ / "fresh" / "train.jsonl"))
      << "resumed output holds records of the old input";
}

TEST_F(ResumeVerifyTest, RecordZeroEditedInPlaceWithTheSameSizeAndTimeIsRefused) {
  if (!InterruptAfterACheckpoint(command_, tmp_ / "out")) GTEST_SKIP() << "no kill landed mid-run";
  const fs::path input = tmp_ / "in.sharegpt.jsonl";
  const auto mtime = fs::last_write_time(input);
  {
    std::fstream file(input, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(std::string("{\"conversations\":[{\"from\":\"human\",\"value\":\"").size());
    file.write("q", 1);  // "Question number 0" becomes "question number 0": same size
  }
  fs::last_write_time(input, mtime);
  auto resumed = RunShell(command_ + " --resume 2>&1");
  EXPECT_EQ(resumed.exit_code, 2) << resumed.out;
  EXPECT_THAT(resumed.out, HasSubstr("changed since the interrupted export"));
  EXPECT_THAT(resumed.out, HasSubstr("in.sharegpt.jsonl"));
}

TEST(DurabilityTest, DataIsSyncedBeforeTheCheckpointAndFoldersAfterRenames) {
  if (RunShell("command -v strace >/dev/null").exit_code != 0) GTEST_SKIP() << "no strace";
  TempDir tmp;
  WriteFile(tmp / "in.sharegpt.jsonl", Corpus(20000));
  const std::string bin_dir = fs::path(TP_BINARY).parent_path().string();
  auto run = RunShell("TUNEPACK_CHECKPOINT_EVERY_BATCH=1 strace -f -y -e trace=fsync,fdatasync,rename,renameat,renameat2 -o " +
                      Quote(tmp / "trace") + " '" + bin_dir + "/tunepack' convert " + Quote(tmp / "in.sharegpt.jsonl") +
                      " --to openai --progress none -o " + Quote(tmp / "out") + " 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string trace = ReadFile(tmp / "trace");
  const size_t first_checkpoint = trace.find("checkpoint.json\"");
  ASSERT_NE(first_checkpoint, std::string::npos) << trace;
  // The data file was synced before the first checkpoint was put in place.
  const size_t data_sync = trace.find("train.jsonl>");
  ASSERT_NE(data_sync, std::string::npos) << trace;
  EXPECT_LT(data_sync, first_checkpoint);
  // The manifest's rename is followed by a sync of the output folder.
  const size_t manifest = trace.rfind("manifest.json\"");
  ASSERT_NE(manifest, std::string::npos);
  // An fsync of the folder itself: "fsync(N</path/out>" and then ")" or, when another thread's
  // call interleaves in strace's output, " <unfinished ...>".
  const std::string folder = "<" + (tmp / "out").string() + ">";
  bool folder_synced = false;
  for (size_t at = trace.find("fsync(", manifest); at != std::string::npos && !folder_synced;
       at = trace.find("fsync(", at + 1)) {
    size_t fd_end = at + 6;
    while (fd_end < trace.size() && std::isdigit(static_cast<unsigned char>(trace[fd_end]))) ++fd_end;
    folder_synced = trace.compare(fd_end, folder.size(), folder) == 0;
  }
  EXPECT_TRUE(folder_synced) << trace.substr(manifest);
}

}  // namespace
}  // namespace tunepack
