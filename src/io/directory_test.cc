#include "tunepack/io/directory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::io {
namespace {

using tunepack::testing::TempDir;
using tunepack::testing::WriteFile;

TEST(DirectoryTest, ListsInByteOrderWithTypesAndWithoutFollowingLinks) {
  TempDir dir;
  WriteFile(dir / "b.txt", "bb");
  WriteFile(dir / "caf\xe9.txt", "x");
  std::filesystem::create_directory(dir / "a");
  std::filesystem::create_symlink("nowhere", dir / "link");
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0644), 0);
  auto entries = ListDirectory(dir.path().string());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[0].name, "a");
  EXPECT_EQ((*entries)[0].facts.type, EntryType::kDirectory);
  EXPECT_EQ((*entries)[1].name, "b.txt");
  EXPECT_EQ((*entries)[1].facts.size, 2u);
  EXPECT_EQ((*entries)[2].name, "caf\xe9.txt");
  EXPECT_EQ((*entries)[3].facts.type, EntryType::kSymlink);
  EXPECT_EQ((*entries)[4].facts.type, EntryType::kFifo);
  EXPECT_THAT(StatPath((dir / "link").string(), true),
              tunepack::testing::StatusIs(StatusCode::kNotFound, ::testing::_));
}

TEST(DirectoryTest, IsWithinComparesWholePathParts) {
  EXPECT_TRUE(IsWithin("/a/b/c", "/a/b"));
  EXPECT_TRUE(IsWithin("/a/b", "/a/b"));
  EXPECT_FALSE(IsWithin("/a/bc", "/a/b"));
  EXPECT_TRUE(IsWithin("/x", "/"));
}

}  // namespace
}  // namespace tunepack::io
