#include "tunepack/io/folder_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::io {
namespace {

using tunepack::testing::StatusIs;
using tunepack::testing::TempDir;

TEST(FolderLockTest, ASecondLockIsRefusedWithTheOwnersProcessId) {
  TempDir dir;
  auto first = FolderLock::Acquire(dir.path().string());
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(std::filesystem::exists(dir / kLockFileName));
  // flock locks belong to open files, so a second open in this process conflicts too.
  EXPECT_THAT(FolderLock::Acquire(dir.path().string()),
              StatusIs(StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("in use by process " + std::to_string(getpid()))));
  first->reset();
  EXPECT_FALSE(std::filesystem::exists(dir / kLockFileName));
  EXPECT_TRUE(FolderLock::Acquire(dir.path().string()).ok());
}

}  // namespace
}  // namespace tunepack::io
