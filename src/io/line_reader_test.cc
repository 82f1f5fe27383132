#include "tunepack/io/line_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::io {
namespace {

using tunepack::testing::StatusIs;
using tunepack::testing::TempDir;

// Reads every line of `path` with blocks of `block_bytes`, each with its line number.
std::vector<std::string> LinesOf(const std::string& path, size_t block_bytes) {
  auto reader = LineReader::Open(path);
  EXPECT_TRUE(reader.has_value()) << reader.error().message();
  if (!reader.has_value()) return {};
  (*reader)->set_block_bytes_for_testing(block_bytes);
  std::vector<std::string> lines;
  std::string_view line;
  while (true) {
    Result<bool> more = (*reader)->Next(line);
    EXPECT_TRUE(more.has_value()) << more.error().message();
    if (!more.has_value() || !*more) break;
    lines.push_back(std::to_string((*reader)->line_number()) + ":" + std::string(line));
  }
  return lines;
}

TEST(LineReaderTest, LinesAcrossBlockBoundariesAreWhole) {
  TempDir dir;
  const std::string path = (dir / "a.txt").string();
  tunepack::testing::WriteFile(path, "first line\n\nthird, a longer one\nx\n");
  const std::vector<std::string> expected = {"1:first line", "2:", "3:third, a longer one", "4:x"};
  for (size_t block : {1, 2, 3, 7, 11, 64, 1 << 16}) {
    EXPECT_EQ(LinesOf(path, block), expected) << "block " << block;
  }
}

TEST(LineReaderTest, LastLineWithoutNewlineAndEmptyFile) {
  TempDir dir;
  tunepack::testing::WriteFile(dir / "a.txt", "a\nlast");
  EXPECT_EQ(LinesOf((dir / "a.txt").string(), 3), (std::vector<std::string>{"1:a", "2:last"}));
  tunepack::testing::WriteFile(dir / "empty.txt", "");
  EXPECT_TRUE(LinesOf((dir / "empty.txt").string(), 4).empty());
  tunepack::testing::WriteFile(dir / "newline.txt", "\n");
  EXPECT_EQ(LinesOf((dir / "newline.txt").string(), 4), (std::vector<std::string>{"1:"}));
}

TEST(LineReaderTest, CarriageReturnIsKeptAsGetlineKeepsIt) {
  TempDir dir;
  tunepack::testing::WriteFile(dir / "crlf.txt", "a\r\nb\r\r\nc\r");
  EXPECT_EQ(LinesOf((dir / "crlf.txt").string(), 2), (std::vector<std::string>{"1:a\r", "2:b\r\r", "3:c\r"}));
}

TEST(LineReaderTest, LineOverTheLimitIsAnErrorNamingFileAndLine) {
  TempDir dir;
  const std::string path = (dir / "long.txt").string();
  for (std::string_view text : {"12345\n123456\n", "12345\n123456"}) {
    tunepack::testing::WriteFile(path, text);
    auto reader = LineReader::Open(path, 5);
    ASSERT_TRUE(reader.has_value());
    (*reader)->set_block_bytes_for_testing(2);
    std::string_view line;
    ASSERT_TRUE(*(*reader)->Next(line));
    EXPECT_EQ(line, "12345");
    EXPECT_THAT((*reader)->Next(line),
                StatusIs(StatusCode::kResourceExhausted, ::testing::HasSubstr(path + ":2: line longer than 5 bytes")));
  }
}

TEST(LineReaderTest, UnreadableFileNamesFileAndReason) {
  TempDir dir;
  EXPECT_THAT(LineReader::Open((dir / "missing.txt").string()),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("missing.txt: cannot open: No such file")));
  EXPECT_THAT(LineReader::Open(dir.path().string()),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("is a directory")));
  // A regular file whose read fails: /proc/self/mem has nothing mapped at offset 0 (EIO).
  auto reader = LineReader::Open("/proc/self/mem");
  ASSERT_TRUE(reader.has_value()) << reader.error().message();
  std::string_view line;
  EXPECT_THAT((*reader)->Next(line),
              StatusIs(StatusCode::kUnknown, ::testing::HasSubstr("/proc/self/mem: cannot read: Input/output error")));
}

}  // namespace
}  // namespace tunepack::io
