#include "tunepack/pipeline/sources.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::pipeline {
namespace {

using tunepack::testing::TempDir;
using tunepack::testing::WriteFile;

Result<std::vector<SourceFile>> ExpandInputs(const std::vector<std::string>& inputs,
                                             const std::vector<std::string>& include,
                                             const std::vector<std::string>& exclude) {
  InputWalkOptions options;
  options.include_globs = include;
  options.exclude_globs = exclude;
  TP_ASSIGN_OR_RETURN(ExpandedInputs expanded, pipeline::ExpandInputs(inputs, options));
  return expanded.files;
}

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

TEST(SourcesTest, OrderIsByteOrderOfWholePaths) {
  TempDir dir;
  WriteFile(dir / "d/a.txt", "1");
  WriteFile(dir / "d/a/b.txt", "2");
  auto files = ExpandInputs({(dir / "d").string()}, {}, {});
  ASSERT_TRUE(files.ok());
  // '.' sorts before '/': the order the walk had before it listed folders itself.
  EXPECT_THAT(Names(*files, dir), ::testing::ElementsAre("d/a.txt", "d/a/b.txt"));
}

TEST(SourcesTest, AFolderGivenWithATrailingSlashNamesItsFilesOnce) {
  TempDir dir;
  WriteFile(dir / "d/a.txt", "1");
  auto files = ExpandInputs({(dir / "d").string() + "/"}, {}, {});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, (dir / "d").string() + "/a.txt");
}

TEST(SourcesTest, SkippedPathsCarryAReasonAndNamesAreText) {
  TempDir dir;
  WriteFile(dir / "d/caf\xe9.md", "x");
  WriteFile(dir / "d/logo.PNG", "x");
  WriteFile(dir / "d/excluded.css", "x");
  std::filesystem::create_symlink("gone", dir / "d/dangling");
  auto files = ExpandInputs({(dir / "d").string()}, {}, {"excluded.*"});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].name, (dir / "d/caf\\xe9.md").string());
  EXPECT_EQ((*files)[0].skip_reason, std::nullopt);
  EXPECT_EQ((*files)[1].skip_reason, RejectReason::kDanglingLink);
  EXPECT_EQ((*files)[2].skip_reason, RejectReason::kNotADocument);
}

}  // namespace
}  // namespace tunepack::pipeline
