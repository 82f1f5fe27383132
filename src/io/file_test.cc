#include "tunepack/io/file.h"
#include "tunepack/io/file_steps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::io {
namespace {

using tunepack::testing::IsOk;
using tunepack::testing::ReadFile;
using tunepack::testing::StatusIs;
using tunepack::testing::TempDir;

TEST(FileTest, ReadWholeFileAndHead) {
  TempDir dir;
  tunepack::testing::WriteFile(dir / "a.txt", "hello world");
  EXPECT_EQ(*ReadWholeFile((dir / "a.txt").string()), "hello world");
  EXPECT_EQ(*ReadFileHead((dir / "a.txt").string(), 5), "hello");
  EXPECT_THAT(ReadWholeFile((dir / "a.txt").string(), 4),
              StatusIs(StatusCode::kResourceExhausted, ::testing::HasSubstr("larger than 4")));
  EXPECT_THAT(ReadWholeFile((dir / "missing").string()),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("missing")));
  EXPECT_THAT(ReadWholeFile(dir.path().string()),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("directory")));
}

TEST(FileTest, SpecialFilesAreRefusedByTypeWithoutBlocking) {
  TempDir dir;
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0644), 0);
  EXPECT_THAT(ReadWholeFile((dir / "pipe").string()),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("is a FIFO, not a regular file")));
  EXPECT_THAT(ReadWholeFile("/dev/zero"),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("character device")));
  std::filesystem::create_symlink("/dev/zero", dir / "zero");
  EXPECT_THAT(InputFile::Open((dir / "zero").string()),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("not a regular file")));
}

TEST(FileTest, AtomicWriteReplacesWholeFile) {
  TempDir dir;
  const std::string path = (dir / "m.json").string();
  ASSERT_THAT(WriteFileAtomic(path, "first"), IsOk());
  ASSERT_THAT(WriteFileAtomic(path, "2nd"), IsOk());
  EXPECT_EQ(ReadFile(path), "2nd");
  // Nothing else is left in the folder (the temporary file was renamed).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

TEST(FileTest, FilesWrittenTogetherEachReplaceTheirWholeFile) {
  TempDir dir;
  const std::string a = (dir / "a.json").string(), b = (dir / "b.html").string();
  ASSERT_THAT(WriteFileAtomic(a, "old a, longer than the new one"), IsOk());
  ASSERT_THAT(WriteFilesAtomic({{a, "new a"}, {b, "new b"}}), IsOk());
  EXPECT_EQ(ReadFile(a), "new a");
  EXPECT_EQ(ReadFile(b), "new b");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 2);
  // A file that cannot be written is an error naming it.
  EXPECT_THAT(WriteFilesAtomic({{(dir / "missing" / "c").string(), "c"}}),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("missing")));
}

size_t EntriesIn(const std::filesystem::path& dir) {
  return static_cast<size_t>(
      std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

TEST(FileTest, FileStepsTakeTheirPlaceInOrderWithTheirRemovals) {
  TempDir dir;
  const std::string a = (dir / "a.json").string(), b = (dir / "b.html").string(), m = (dir / "m.json").string();
  const std::string gone = (dir / "checkpoint.json").string();
  ASSERT_THAT(WriteFileAtomic(a, "old a, longer than the new one"), IsOk());
  ASSERT_THAT(WriteFileAtomic(gone, "{}"), IsOk());
  ASSERT_THAT(WriteFileSteps({{{{a, "new a"}, {b, "new b"}}, {}},
                              {{{m, "manifest"}}, {gone, (dir / "never-there").string()}}}),
              IsOk());
  EXPECT_EQ(ReadFile(a), "new a");
  EXPECT_EQ(ReadFile(b), "new b");
  EXPECT_EQ(ReadFile(m), "manifest");
  EXPECT_FALSE(std::filesystem::exists(gone));
  EXPECT_EQ(EntriesIn(dir.path()), 3u);  // no temporary file left
}

TEST(FileTest, AFailedFileStepLeavesTheEarlierStepsAndNoTemporaryFile) {
  TempDir dir;
  const std::string a = (dir / "a.json").string();
  ASSERT_THAT(WriteFileAtomic(a, "old a"), IsOk());
  // A file that cannot be written: nothing takes its place, not even the first step's files.
  EXPECT_THAT(WriteFileSteps({{{{a, "new a"}}, {}}, {{{(dir / "missing" / "m").string(), "m"}}, {}}}),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("missing")));
  EXPECT_EQ(ReadFile(a), "old a");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
  // A file whose rename fails (its target is a folder that is not empty): the step before it
  // is in place, and the temporary files of the failed step are gone.
  std::filesystem::create_directories(dir / "m.json" / "inside");
  EXPECT_THAT(WriteFileSteps({{{{a, "new a"}}, {}}, {{{(dir / "m.json").string(), "m"}}, {}}}),
              StatusIs(StatusCode::kUnknown, ::testing::HasSubstr("m.json: cannot rename")));
  EXPECT_EQ(ReadFile(a), "new a");
  EXPECT_EQ(EntriesIn(dir.path()), 2u);
}

TEST(FileTest, AppendFileResumesAtRecordedSize) {
  TempDir dir;
  const std::string path = (dir / "out.jsonl").string();
  {
    auto file = AppendFile::Open(path);
    ASSERT_THAT(file, IsOk());
    ASSERT_THAT((*file)->Write("line1\n"), IsOk());
    ASSERT_THAT((*file)->Flush(), IsOk());
    ASSERT_THAT((*file)->Write("partial-after-checkpoint"), IsOk());
    EXPECT_EQ((*file)->size(), 30u);
  }
  auto resumed = AppendFile::Open(path, 6);
  ASSERT_THAT(resumed, IsOk());
  ASSERT_THAT((*resumed)->Write("line2\n"), IsOk());
  ASSERT_THAT((*resumed)->Close(), IsOk());
  EXPECT_EQ(ReadFile(path), "line1\nline2\n");
  EXPECT_THAT(AppendFile::Open(path, 1000), StatusIs(StatusCode::kDataLoss, ::testing::HasSubstr("checkpoint")));
}

}  // namespace
}  // namespace tunepack::io
