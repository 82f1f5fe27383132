#include "tunepack/io/running_binary.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace tunepack::io {
namespace {

TEST(RunningBinaryTest, NamesTheFileInTheTestBinarysOwnFolder) {
  auto path = BesideRunningBinary("some-module.so");
  ASSERT_TRUE(path.ok()) << path.error().message();
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_EQ(std::filesystem::path(*path), self.parent_path() / "some-module.so");
}

}  // namespace
}  // namespace tunepack::io
