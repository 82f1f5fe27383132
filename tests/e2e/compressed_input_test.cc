// End-to-end tests of compressed inputs (issue 13): .gz, .zst, .bz2 and .xz files are read
// as the file inside them, streaming; damaged ones and decompression bombs are ledger lines;
// --resume of a compressed record file continues exactly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
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
using testing::Interrupted;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunAndKill;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Compresses `path` in place with `tool` ("gzip", "zstd --rm -q", "bzip2", "xz").
void Compress(const std::string& tool, const fs::path& path) {
  ASSERT_EQ(RunShell(tool + " " + Quote(path)).exit_code, 0) << tool;
}

testing::CommandOutput Export(const fs::path& in, const fs::path& out, const std::string& extra = "") {
  return RunShell("timeout -k 5 60 tunepack export " + Quote(in) + " -o " + Quote(out) +
                  " --format jsonl --progress none " + extra + " 2>&1");
}

std::map<std::string, std::string> LedgerReasons(const fs::path& out) {
  std::map<std::string, std::string> reasons;
  for (const auto& line : JsonLines(out / "rejected.jsonl")) {
    reasons[fs::path(line["source"].get<std::string>()).filename().string()] = line["reason"].get<std::string>();
  }
  return reasons;
}

void WritePlainFolder(const fs::path& dir) {
  WriteFile(dir / "README", "A readme, as Debian ships them under /usr/share/doc.\n\nIt has two paragraphs.\n");
  WriteFile(dir / "data.jsonl", "{\"text\": \"first record\"}\n{\"text\": \"second record\"}\n");
  WriteFile(dir / "notes.md", "# Notes\n\nSome *Markdown* notes.\n");
  WriteFile(dir / "page.html", "<html><head><title>Page</title></head><body><h1>Page</h1><p>Body text.</p></body></html>\n");
}

TEST(CompressedInputTest, EachFormatReadsAsTheFileInside) {
  TempDir tmp;
  WritePlainFolder(tmp / "plain");
  WritePlainFolder(tmp / "packed");
  Compress("gzip -n", tmp / "packed" / "README");
  Compress("zstd --rm -q", tmp / "packed" / "data.jsonl");
  Compress("bzip2", tmp / "packed" / "notes.md");
  Compress("xz", tmp / "packed" / "page.html");
  auto plain = Export(tmp / "plain", tmp / "out-plain");
  auto packed = Export(tmp / "packed", tmp / "out-packed");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  ASSERT_EQ(packed.exit_code, 0) << packed.out;
  EXPECT_EQ(ReadFile(tmp / "out-packed" / "train.jsonl"), ReadFile(tmp / "out-plain" / "train.jsonl"));
  EXPECT_EQ(ReadFile(tmp / "out-packed" / "rejected.jsonl"), "");
  const auto manifest = nlohmann::json::parse(ReadFile(tmp / "out-packed" / "manifest.json"));
  std::map<std::string, std::string> types;
  for (const auto& input : manifest["inputs"]) {
    types[fs::path(input["path"].get<std::string>()).filename().string()] = input["type"].get<std::string>();
  }
  EXPECT_EQ(types["README.gz"], "text");
  EXPECT_EQ(types["data.jsonl.zst"], "jsonl");
  EXPECT_EQ(types["notes.md.bz2"], "markdown");
  EXPECT_EQ(types["page.html.xz"], "html");
}

TEST(CompressedInputTest, DamagedTruncatedBombAndArchiveAreLedgerLines) {
  TempDir tmp;
  WriteFile(tmp / "in" / "ok.txt", "A good document.\n");
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " of a long text\n";
  WriteFile(tmp / "in" / "truncated.txt", big);
  Compress("gzip -n", tmp / "in" / "truncated.txt");
  fs::resize_file(tmp / "in" / "truncated.txt.gz", fs::file_size(tmp / "in" / "truncated.txt.gz") / 2);
  WriteFile(tmp / "in" / "damaged.jsonl", big);
  Compress("xz", tmp / "in" / "damaged.jsonl");
  {
    std::string bytes = ReadFile(tmp / "in" / "damaged.jsonl.xz");
    for (size_t i = 100; i < 140; ++i) bytes[i] ^= 0x5A;
    WriteFile(tmp / "in" / "damaged.jsonl.xz", bytes);
  }
  WriteFile(tmp / "in" / "bomb.txt", std::string(4 << 20, 'a'));
  Compress("bzip2", tmp / "in" / "bomb.txt");
  WriteFile(tmp / "in" / "site.tar", "not really a tar");
  Compress("gzip -n", tmp / "in" / "site.tar");
  auto run = Export(tmp / "in", tmp / "out", "--max-decompressed-bytes 1000000");
  ASSERT_EQ(run.exit_code, 1) << run.out;  // 1: some inputs were rejected
  const auto reasons = LedgerReasons(tmp / "out");
  EXPECT_EQ(reasons.at("truncated.txt.gz"), "corrupt_compressed");
  EXPECT_EQ(reasons.at("damaged.jsonl.xz"), "corrupt_compressed");
  EXPECT_EQ(reasons.at("bomb.txt.bz2"), "decompressed_too_large");
  EXPECT_EQ(reasons.at("site.tar.gz"), "not_a_document");
  EXPECT_EQ(reasons.count("ok.txt"), 0u);
  EXPECT_THAT(ReadFile(tmp / "out" / "rejected.jsonl"), HasSubstr("--max-decompressed-bytes"));
  EXPECT_THAT(ReadFile(tmp / "out" / "train.jsonl"), HasSubstr("A good document."));
}

std::string Corpus(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "{\"conversations\":[{\"from\":\"human\",\"value\":\"Question number " + std::to_string(i) +
           ": how do queues work?\"},{\"from\":\"gpt\",\"value\":\"Answer " + std::to_string(i) +
           ": they hold tasks.\"}]}\n";
  }
  return out;
}

class CompressedResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(tmp_ / "in.sharegpt.jsonl", Corpus(240000));
    Compress("gzip -n -1", tmp_ / "in.sharegpt.jsonl");
    input_ = tmp_ / "in.sharegpt.jsonl.gz";
    const std::string bin_dir = fs::path(TP_BINARY).parent_path().string();
    command_ = "TUNEPACK_CHECKPOINT_EVERY_BATCH=1 '" + bin_dir + "/tunepack' convert " + Quote(input_) +
               " --to openai --progress none -j 2 -o " + Quote(tmp_ / "out");
  }
  bool InterruptAfterACheckpoint() { return testing::InterruptAfterACheckpoint(command_, tmp_ / "out"); }
  TempDir tmp_;
  fs::path input_;
  std::string command_;
};

TEST_F(CompressedResumeTest, ResumeGivesTheBytesOfAnUninterruptedRun) {
  auto fresh = RunShell("tunepack convert " + Quote(input_) + " --to openai --progress none -o " +
                        Quote(tmp_ / "fresh") + " 2>&1");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.out;
  if (!InterruptAfterACheckpoint()) GTEST_SKIP() << "no kill landed mid-run";
  const auto checkpoint = nlohmann::json::parse(ReadFile(tmp_ / "out" / ".tunepack-partial" / "checkpoint.json"));
  // The offset a checkpoint keeps is in the file as it is on disk, never past its end.
  EXPECT_LE(checkpoint["sources"][0]["consumed"].get<uint64_t>(), fs::file_size(input_));
  auto resumed = RunShell(command_ + " --resume 2>&1");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_TRUE(ReadFile(tmp_ / "out" / "train.jsonl") == ReadFile(tmp_ / "fresh" / "train.jsonl"))
      << "resumed output differs from an uninterrupted run";
}

TEST_F(CompressedResumeTest, ACompressedInputChangedBeforeThePointReachedIsRefused) {
  if (!InterruptAfterACheckpoint()) GTEST_SKIP() << "no kill landed mid-run";
  const auto checkpoint = nlohmann::json::parse(ReadFile(tmp_ / "out" / ".tunepack-partial" / "checkpoint.json"));
  const uint64_t consumed = checkpoint["sources"][0]["consumed"].get<uint64_t>();
  if (consumed < 64) GTEST_SKIP() << "the checkpoint covers no compressed bytes yet";
  std::string bytes = ReadFile(input_);
  bytes[consumed / 2] ^= 0x01;  // inside what was read: in the compressed stream
  WriteFile(input_, bytes);
  auto resumed = RunShell(command_ + " --resume 2>&1");
  EXPECT_EQ(resumed.exit_code, 2) << resumed.out;
  EXPECT_THAT(resumed.out, HasSubstr("changed since the interrupted export"));
}

}  // namespace
}  // namespace tunepack
