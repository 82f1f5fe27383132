// OutputFolder::ReleaseEarlierExportPages: the pages of an earlier export's files leave the
// page cache while a new export runs (so the rename that replaces them at the end does not
// free them), and their bytes stay as they were.
#include "pipeline/output_folder.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {
namespace {

// Returns how many of the pages of `path` are in the page cache (mincore), or -1.
long CachedPages(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  const off_t size = ::lseek(fd, 0, SEEK_END);
  void* map = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return -1;
  const long page = ::sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> resident((static_cast<size_t>(size) + page - 1) / page);
  const bool ok = ::mincore(map, static_cast<size_t>(size), resident.data()) == 0;
  ::munmap(map, static_cast<size_t>(size));
  if (!ok) return -1;
  long cached = 0;
  for (unsigned char r : resident) cached += r & 1;
  return cached;
}

class NoEvents : public EventSubscriber {
 public:
  void OnEvent(const Event&) override {}
};

TEST(OutputFolderTest, EarlierExportPagesLeaveTheCacheAndTheirBytesStay) {
  testing::TempDir dir;
  std::string lines;
  for (int i = 0; i < 40000; ++i) lines += R"({"text": "record )" + std::to_string(i) + R"( of the earlier export"})" "\n";
  testing::WriteFile(dir / "in.jsonl", lines);
  const std::string out = (dir / "out").string();
  Result<ExportOptions> options = ExportOptionsFromJson(R"({"inputs": [")" + (dir / "in.jsonl").string() +
                                                        R"("], "output": ")" + out + R"(", "format": "jsonl"})");
  ASSERT_TRUE(options.has_value()) << options.error().message();
  NoEvents events;
  ASSERT_TRUE(RunExport(*options, events).has_value());
  const std::string train = out + "/train.jsonl";
  const std::string bytes = testing::ReadFile(train);  // read: its pages are cached now
  const long before = CachedPages(train);
  ASSERT_GT(before, 0);

  Result<OutputFolder> folder = OutputFolder::Open(out);
  ASSERT_TRUE(folder.has_value()) << folder.error().message();
  ASSERT_TRUE(folder->Prepare(/*resume=*/false, /*overwrite=*/true, "{}").has_value());
  std::jthread release = folder->ReleaseEarlierExportPages();
  ASSERT_TRUE(release.joinable());
  release.join();
  // A file system that keeps file pages in memory only (tmpfs) cannot drop them.
  struct statfs fs;
  ASSERT_EQ(::statfs(train.c_str(), &fs), 0);
  if (fs.f_type == TMPFS_MAGIC) GTEST_SKIP() << out << " is on tmpfs, which keeps its pages";
  EXPECT_EQ(CachedPages(train), 0) << "of " << before;
  EXPECT_EQ(testing::ReadFile(train), bytes);
}

TEST(OutputFolderTest, NothingToReleaseInANewFolder) {
  testing::TempDir dir;
  Result<OutputFolder> folder = OutputFolder::Open((dir / "new").string());
  ASSERT_TRUE(folder.has_value()) << folder.error().message();
  ASSERT_TRUE(folder->Prepare(/*resume=*/false, /*overwrite=*/false, "{}").has_value());
  EXPECT_FALSE(folder->ReleaseEarlierExportPages().joinable());
}

}  // namespace
}  // namespace tunepack::pipeline
