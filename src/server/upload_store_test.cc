#include "server/upload_store.h"

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

TEST(CleanUploadNameTest, KeepsOneSafeFileName) {
  EXPECT_EQ(CleanUploadName("qa.jsonl"), "qa.jsonl");
  EXPECT_EQ(CleanUploadName("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanUploadName("C:\\data\\x.csv"), "x.csv");
  EXPECT_EQ(CleanUploadName(".bashrc"), "_bashrc");
  EXPECT_EQ(CleanUploadName(".."), "_.");
  EXPECT_EQ(CleanUploadName(""), "upload");
  EXPECT_EQ(CleanUploadName("a\nb\x01.md"), "ab.md");
  const std::string longest = CleanUploadName(std::string(500, 'x') + ".jsonl");
  EXPECT_EQ(longest.size(), 200u);
  EXPECT_EQ(longest.substr(194), ".jsonl");
}

TEST(UploadStoreTest, StoresFindsListsAndRemoves) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "uploads");
  fs::create_directories(tmp / "tmp");
  UploadStore store((tmp / "uploads").string(), (tmp / "tmp").string(), 100);
  auto writer = store.Begin("qa.jsonl");
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->Write("{\"text\":\"hi\"}\n").ok());
  Result<UploadInfo> info = (*writer)->Commit();
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(UploadStore::IsUploadId(info->id));
  EXPECT_EQ(info->bytes, 14u);
  EXPECT_EQ(testing::ReadFile(info->path), "{\"text\":\"hi\"}\n");
  EXPECT_EQ(store.Find(info->id).value_or(UploadInfo{}).name, "qa.jsonl");
  EXPECT_EQ(store.List().size(), 1u);
  EXPECT_TRUE(store.Remove(info->id).ok());
  EXPECT_THAT(store.Find(info->id), StatusIs(StatusCode::kNotFound, HasSubstr(info->id)));
  EXPECT_THAT(store.Find("../uploads"), StatusIs(StatusCode::kNotFound, HasSubstr("")));
}

TEST(UploadStoreTest, RefusesTooMuchAndLeavesNothingBehind) {
  testing::TempDir tmp;
  fs::create_directories(tmp / "uploads");
  fs::create_directories(tmp / "tmp");
  UploadStore store((tmp / "uploads").string(), (tmp / "tmp").string(), 10);
  {
    auto writer = store.Begin("big.txt");
    ASSERT_TRUE(writer.has_value());
    ASSERT_TRUE((*writer)->Write("12345").ok());
    EXPECT_THAT((*writer)->Write("123456"), StatusIs(StatusCode::kResourceExhausted, HasSubstr("limit")));
  }
  EXPECT_TRUE(fs::is_empty(tmp / "tmp"));
  EXPECT_TRUE(store.List().empty());
}

}  // namespace
}  // namespace tunepack::server
