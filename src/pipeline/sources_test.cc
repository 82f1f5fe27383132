#include "tunepack/pipeline/sources.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::pipeline {
namespace {

using tunepack::testing::TempDir;
using tunepack::testing::WriteFile;

std::vector<std::string> Names(const std::vector<SourceFile>& files, const TempDir& dir) {
  std::vector<std::string> names;
  for (const SourceFile& f : files) {
    names.push_back(std::filesystem::relative(f.path, dir.path()).string());
  }
  return names;
}

TEST(SourcesTest, WalksFoldersInByteOrderAndSkipsHidden) {
  TempDir dir;
  WriteFile(dir / "docs/b.md", "b");
  WriteFile(dir / "docs/a.md", "a");
  WriteFile(dir / "docs/sub/c.txt", "c");
  WriteFile(dir / "docs/.git/config", "x");
  WriteFile(dir / "docs/.hidden.md", "x");
  auto files = ExpandInputs({(dir / "docs").string()}, {}, {});
  ASSERT_TRUE(files.ok());
  EXPECT_THAT(Names(*files, dir), ::testing::ElementsAre("docs/a.md", "docs/b.md", "docs/sub/c.txt"));
  EXPECT_EQ((*files)[0].size, 1u);
}

TEST(SourcesTest, IncludeAndExcludeGlobs) {
  TempDir dir;
  WriteFile(dir / "d/a.md", "a");
  WriteFile(dir / "d/b.txt", "b");
  WriteFile(dir / "d/sub/c.md", "c");
  auto md = ExpandInputs({(dir / "d").string()}, {"*.md"}, {"sub/*"});
  ASSERT_TRUE(md.ok());
  EXPECT_THAT(Names(*md, dir), ::testing::ElementsAre("d/a.md"));
}

TEST(SourcesTest, FilesKeepCommandLineOrderAndMissingIsAnError) {
  TempDir dir;
  WriteFile(dir / "z.jsonl", "{}");
  WriteFile(dir / "a.jsonl", "{}");
  auto files = ExpandInputs({(dir / "z.jsonl").string(), (dir / "a.jsonl").string(), "-"}, {}, {});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 3u);
  EXPECT_EQ(files->back().path, "-");
  EXPECT_THAT(ExpandInputs({(dir / "nope").string()}, {}, {}),
              tunepack::testing::StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("nope")));
}

}  // namespace
}  // namespace tunepack::pipeline
