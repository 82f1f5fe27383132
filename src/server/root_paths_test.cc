#include "server/root_paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::server {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::StatusIs;

class RootPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteFile(tmp_ / "root/data/a.jsonl", "{}\n");
    testing::WriteFile(tmp_ / "outside/secret.txt", "no\n");
    fs::create_symlink(tmp_ / "outside/secret.txt", tmp_ / "root/data/link.txt");
    fs::create_symlink(tmp_ / "outside", tmp_ / "root/escape");
    fs::create_symlink(tmp_ / "root/data/a.jsonl", tmp_ / "root/inner-link.jsonl");
    Result<RootPaths> roots = RootPaths::Create({(tmp_ / "root").string()});
    ASSERT_TRUE(roots.has_value());
    roots_ = *roots;
    root_ = fs::canonical(tmp_ / "root").string();
  }
  testing::TempDir tmp_;
  RootPaths roots_;
  std::string root_;
};

TEST_F(RootPathsTest, ResolvesPathsUnderTheRoot) {
  EXPECT_EQ(roots_.Resolve("data/a.jsonl").value_or(""), root_ + "/data/a.jsonl");
  EXPECT_EQ(roots_.Resolve(root_ + "/data/a.jsonl").value_or(""), root_ + "/data/a.jsonl");
  EXPECT_EQ(roots_.Resolve("data/../data/a.jsonl").value_or(""), root_ + "/data/a.jsonl");
  // A link that stays inside is followed.
  EXPECT_EQ(roots_.Resolve("inner-link.jsonl").value_or(""), root_ + "/data/a.jsonl");
  EXPECT_EQ(roots_.Resolve("data").value_or(""), root_ + "/data");
}

TEST_F(RootPathsTest, RefusesEscapes) {
  EXPECT_THAT(roots_.Resolve("../outside/secret.txt"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("outside")));
  EXPECT_THAT(roots_.Resolve("data/../../outside/secret.txt"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
  EXPECT_THAT(roots_.Resolve("data/link.txt"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
  EXPECT_THAT(roots_.Resolve("escape/secret.txt"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
  EXPECT_THAT(roots_.Resolve("/etc/passwd"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
  // Outside the roots, existence is not revealed: a missing file is refused the same way.
  EXPECT_THAT(roots_.Resolve("/no/such/file"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
  // A sibling folder whose name starts with the root's is not under it.
  fs::create_directories(tmp_ / "root2");
  EXPECT_THAT(roots_.Resolve(root_ + "2"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("")));
}

TEST_F(RootPathsTest, ReportsMissingFilesInsideAndBadPaths) {
  EXPECT_THAT(roots_.Resolve("data/missing.jsonl"), StatusIs(StatusCode::kNotFound, HasSubstr("missing.jsonl")));
  EXPECT_THAT(roots_.Resolve(""), StatusIs(StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(roots_.Resolve(std::string("a\0b", 3)), StatusIs(StatusCode::kInvalidArgument, HasSubstr("NUL")));
}

TEST(RootPathsNoRootTest, RefusesEveryPath) {
  Result<RootPaths> none = RootPaths::Create({});
  ASSERT_TRUE(none.has_value());
  EXPECT_THAT(none->Resolve("/tmp"), StatusIs(StatusCode::kPermissionDenied, HasSubstr("without --root")));
}

TEST(RootPathsCreateTest, RefusesARootThatIsNotAFolder) {
  EXPECT_THAT(RootPaths::Create({"/no/such/folder"}), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--root")));
}

}  // namespace
}  // namespace tunepack::server
