#include "pipeline/byte_range.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>
#include <vector>

namespace tunepack::pipeline {
namespace {

struct ReadRecord {
  std::string text;
  uint64_t line = 0;
  uint64_t index = 0;
  bool operator==(const ReadRecord&) const = default;
};

std::ostream& operator<<(std::ostream& out, const ReadRecord& r) {
  return out << r.index << "@" << r.line << ":" << r.text;
}

// Reads the records of `bytes` in `range` as a rank does: the prefix counted, the rest
// through the JSON Lines reader.
std::vector<ReadRecord> ReadRange(const std::string& bytes, ByteRange range) {
  auto source = std::make_unique<LineRangeSource>(ingest::StringByteSource(bytes), range);
  Result<LinePrefix> prefix = source->SkipPrefix();
  EXPECT_TRUE(prefix.has_value());
  ingest::RecordReaderOptions options;
  options.max_record_bytes = 40;
  options.continues_file = range.begin > 0;
  options.first_line = prefix->lines + 1;
  auto reader = ingest::OpenRecordReader("jsonl", std::move(source), options);
  EXPECT_TRUE(reader.has_value());
  std::vector<ReadRecord> records;
  uint64_t index = prefix->records;
  ingest::RecordBatch batch;
  while (true) {
    Result<bool> more = (*reader)->Next(batch, 16);  // small batches: many refills
    EXPECT_TRUE(more.has_value());
    if (!more.has_value() || !*more) break;
    for (const ingest::RecordSpan& span : batch.records) {
      const std::string text = span.error.empty() ? batch.buffer.substr(span.begin, span.size) : "error:" + span.error;
      records.push_back({text, span.line, index++});
    }
  }
  return records;
}

// A BOM, CRLF and LF lines, blank and whitespace-only lines, an oversize line (over the
// 40-byte limit above), a last line without a newline.
const std::string kFile =
    "\xEF\xBB\xBF{\"a\":1}\r\n"
    "\n"
    "{\"a\":2}\n"
    "  \t\r\n"
    "{\"text\":\"a line far longer than the forty byte limit of this test\"}\n"
    "{\"a\":3}\r\n"
    "\r\n"
    "{\"a\":4}\n"
    "   {\"a\":5}\n"
    "{\"a\":6}";

// Cutting the file anywhere into two or three ranges gives the records, with their lines
// and numbers, that reading it whole gives, each once.
TEST(ByteRangeTest, RangesCutAnywhereReadEveryRecordOnceWithItsLineAndNumber) {
  const std::vector<ReadRecord> whole = ReadRange(kFile, {});
  ASSERT_EQ(whole.size(), 7u);
  EXPECT_EQ(whole.front(), (ReadRecord{"{\"a\":1}", 1, 0}));
  EXPECT_EQ(whole.back(), (ReadRecord{"{\"a\":6}", 10, 6}));
  for (uint64_t cut = 0; cut <= kFile.size(); ++cut) {
    std::vector<ReadRecord> joined = ReadRange(kFile, {0, cut});
    const std::vector<ReadRecord> rest = ReadRange(kFile, {cut, std::nullopt});
    joined.insert(joined.end(), rest.begin(), rest.end());
    EXPECT_EQ(joined, whole) << "cut at " << cut;
  }
  for (uint64_t a = 1; a < kFile.size(); a += 3) {
    for (uint64_t b = a; b < kFile.size(); b += 5) {
      std::vector<ReadRecord> joined = ReadRange(kFile, {0, a});
      for (const ByteRange range : {ByteRange{a, b}, ByteRange{b, std::nullopt}}) {
        const std::vector<ReadRecord> part = ReadRange(kFile, range);
        joined.insert(joined.end(), part.begin(), part.end());
      }
      EXPECT_EQ(joined, whole) << "cuts at " << a << ", " << b;
    }
  }
}

TEST(ByteRangeTest, APrefixEndingInAnUnfinishedLastLineCountsItsRecord) {
  auto source = std::make_unique<LineRangeSource>(ingest::StringByteSource(kFile), ByteRange{kFile.size() - 2, {}});
  Result<LinePrefix> prefix = source->SkipPrefix();
  ASSERT_TRUE(prefix.has_value());
  EXPECT_EQ(prefix->records, 7u);
  char byte;
  EXPECT_EQ(*source->Read(&byte, 1), 0u);
}

TEST(ByteRangeTest, OnlyUncompressedPlainJsonLinesFilesAreCut) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("tp_byte_range_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return SourceFile{(dir / name).string(), name, bytes.size(), 0, std::nullopt, {}};
  };
  EXPECT_TRUE(CanCutRecordFile(file("a.jsonl", "{\"text\":\"x\"}\n{\"text\":\"y\"}\n")));
  EXPECT_TRUE(CanCutRecordFile(file("a.ndjson", "{\"text\":\"x\"}\n")));
  EXPECT_FALSE(CanCutRecordFile(file("a.csv", "text\n\"two\nlines\"\n")));
  EXPECT_FALSE(CanCutRecordFile(file("a.json", "[{\"text\":\"x\"}]\n")));
  EXPECT_FALSE(CanCutRecordFile(file("a.md", "# Title\n\nText.\n")));
  EXPECT_FALSE(CanCutRecordFile(file("a.jsonl.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8))));
  EXPECT_FALSE(CanCutRecordFile(file("w.jsonl", std::string("\xFF\xFE{\0\"\0a\0\"\0:\0""1\0}\0\n\0", 18))));
  EXPECT_FALSE(CanCutRecordFile(file("empty.jsonl", "")));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tunepack::pipeline
