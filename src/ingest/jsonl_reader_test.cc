#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/record_test_util.h"
#include "support/status_matchers.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

TEST(JsonlReaderTest, SplitsLinesWithOneBasedLineNumbers) {
  const auto records = ReadAllRecords("jsonl", "{\"a\":1}\n\n   \n{\"a\":2}\r\n{\"a\":3}");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].text, "{\"a\":1}");
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[1].text, "{\"a\":2}");  // '\r' stripped
  EXPECT_EQ(records[1].line, 4u);           // blank lines 2 and 3 skipped but counted
  EXPECT_EQ(records[2].text, "{\"a\":3}");  // no final newline
  EXPECT_EQ(records[2].line, 5u);
}

TEST(JsonlReaderTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(ReadAllRecords("jsonl", "").empty());
  EXPECT_TRUE(ReadAllRecords("jsonl", "\n\n\r\n").empty());
}

TEST(JsonlReaderTest, StripsALeadingBom) {
  const auto records = ReadAllRecords("jsonl", "\xEF\xBB\xBF{\"a\":1}\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, "{\"a\":1}");
}

TEST(JsonlReaderTest, OversizeLineIsAnErrorAndTheRestStillReads) {
  RecordReaderOptions options;
  options.max_record_bytes = 16;
  const std::string big = "{\"text\":\"" + std::string(1000, 'x') + "\"}";
  const std::string input = "{\"a\":1}\n" + big + "\n{\"a\":2}\n" + big;
  for (size_t step : {size_t{0}, size_t{7}}) {  // whole, and in small pieces
    const auto records = ReadAllRecords("jsonl", input, options, 1 << 20, step);
    ASSERT_EQ(records.size(), 4u) << "step " << step;
    EXPECT_EQ(records[0].text, "{\"a\":1}");
    EXPECT_EQ(records[1].error, "record exceeds 16 bytes");
    EXPECT_EQ(records[1].line, 2u);
    EXPECT_EQ(records[1].text, "");
    EXPECT_EQ(records[2].text, "{\"a\":2}");
    EXPECT_EQ(records[2].line, 3u);
    EXPECT_EQ(records[3].error, "record exceeds 16 bytes");
    EXPECT_EQ(records[3].line, 4u);
  }
}

TEST(JsonlReaderTest, LongBlankLineIsNotARecordHoweverTheInputArrives) {
  // Found by record_reader_fuzz: read in small pieces, a whitespace line longer than the
  // limit was reported as oversize; read whole, it was skipped as blank.
  RecordReaderOptions options;
  options.max_record_bytes = 16;
  const std::string input = "\xEF\xBB\xBF" + std::string(40, ' ') + "\n{\"a\":1}\n" +
                            std::string(40, '\t') + "\r\n" + std::string(40, ' ') + "{\"b\":2}\n";
  for (size_t step : {size_t{0}, size_t{1}, size_t{5}}) {
    const auto records = ReadAllRecords("jsonl", input, options, 1 << 20, step);
    ASSERT_EQ(records.size(), 2u) << "step " << step;
    EXPECT_EQ(records[0].text, "{\"a\":1}");
    EXPECT_EQ(records[0].line, 2u);
    EXPECT_EQ(records[1].error, "record exceeds 16 bytes");  // spaces count towards size
    EXPECT_EQ(records[1].line, 4u);
  }
}

TEST(JsonlReaderTest, RecordOfExactlyTheLimitIsKeptEvenWithCrlf) {
  RecordReaderOptions options;
  options.max_record_bytes = 7;
  const auto records = ReadAllRecords("jsonl", "{\"a\":1}\r\n", options, 1 << 20, 3);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].text, "{\"a\":1}");
  EXPECT_EQ(records[0].error, "");
}

TEST(JsonlReaderTest, OversizeLineIsNotBufferedWhole) {
  // A 64 MiB line with a 1 KiB limit: the reader must drop bytes as it goes. The source
  // is generated, so only the reader's own buffers could hold it.
  class Endless : public ByteSource {
   public:
    Result<size_t> Read(char* buffer, size_t size) override {
      if (left_ == 0) return size_t{0};
      const size_t n = std::min(size, left_);
      std::fill(buffer, buffer + n, 'x');
      left_ -= n;
      if (left_ == 0) buffer[n - 1] = '\n';
      return n;
    }
    size_t left_ = size_t{64} << 20;
  };
  RecordReaderOptions options;
  options.max_record_bytes = 1024;
  auto reader = OpenRecordReader("jsonl", std::make_unique<Endless>(), options);
  ASSERT_TRUE(reader.ok());
  RecordBatch batch;
  Result<bool> more = (*reader)->Next(batch, 1 << 20);
  ASSERT_TRUE(more.ok() && *more);
  ASSERT_EQ(batch.records.size(), 1u);
  EXPECT_EQ(batch.records[0].error, "record exceeds 1024 bytes");
  // The room of one batch (its lines are read in place), far below the 64 MiB line.
  EXPECT_LT(batch.buffer.capacity(), size_t{2} << 20);
  more = (*reader)->Next(batch, 1 << 20);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

TEST(JsonlReaderTest, BatchesStopNearTheTargetAndCoverEverything) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "{\"i\":" + std::to_string(i) + "}\n";
  auto reader = OpenRecordReader("jsonl", StringByteSource(input));
  ASSERT_TRUE(reader.ok());
  RecordBatch batch;
  size_t batches = 0, total = 0;
  uint64_t expected_line = 1;
  while (true) {
    Result<bool> more = (*reader)->Next(batch, 100);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ++batches;
    for (const RecordSpan& span : batch.records) {
      EXPECT_EQ(span.line, expected_line++);
      ++total;
    }
    EXPECT_LT(batch.buffer.size(), 100 + 20 + kRecordPadding);
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_GT(batches, 50u);
}

TEST(JsonlReaderTest, StaleBytesOfARecycledBufferAreNotRead) {
  // A recycled buffer keeps its old bytes (lines and '\n's among them): only what is read
  // into it may become records, whatever the batch size.
  std::string input;
  for (int i = 0; i < 300; ++i) input += "{\"i\":" + std::to_string(i) + "}\n";
  input += "{\"last\":1}";  // no final newline: the stale bytes would follow it
  for (size_t target : {size_t{1}, size_t{50}, size_t{1} << 20}) {
    auto reader = OpenRecordReader("jsonl", StringByteSource(input));
    ASSERT_TRUE(reader.ok());
    RecordBatch batch;
    std::string seen;
    while (true) {
      batch.buffer.clear();
      while (batch.buffer.size() < 3 * input.size()) batch.buffer += "{\"stale\":0}\n";
      Result<bool> more = (*reader)->Next(batch, target);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      for (const RecordSpan& span : batch.records) {
        ASSERT_TRUE(span.error.empty());
        seen.append(batch.buffer, span.begin, span.size).append("\n");
      }
    }
    EXPECT_EQ(seen, input + "\n") << "target " << target;
  }
}

TEST(JsonlReaderTest, ReaderErrorsPropagate) {
  class Failing : public ByteSource {
   public:
    Result<size_t> Read(char*, size_t) override { return DataLossError("disk on fire"); }
  };
  auto reader = OpenRecordReader("jsonl", std::make_unique<Failing>());
  ASSERT_TRUE(reader.ok());
  RecordBatch batch;
  EXPECT_THAT((*reader)->Next(batch, 100), StatusIs(StatusCode::kDataLoss, HasSubstr("fire")));
}

TEST(OpenRecordReaderTest, UnknownContainerNamesTheKnownOnes) {
  EXPECT_THAT(OpenRecordReader("xml", StringByteSource("")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("jsonl, json, csv")));
}

// Returns `utf8` (ASCII and 'é' only) as UTF-16 in the given byte order.
std::string Utf16(std::string_view utf8, bool big_endian) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    unsigned unit = static_cast<unsigned char>(utf8[i]);
    if (unit == 0xC3) unit = 0xC0 | (static_cast<unsigned char>(utf8[++i]) & 0x3F);
    const char low = static_cast<char>(unit & 0xFF), high = static_cast<char>(unit >> 8);
    out += big_endian ? std::string{high, low} : std::string{low, high};
  }
  return out;
}

TEST(JsonlReaderTest, Utf16IsDecodedWithOrWithoutBom) {
  // Issue 9: UTF-16 JSONL was split as bytes: every line malformed, and the NUL after the
  // last '\n' counted as a third record.
  for (const std::string text : {"{\"text\":\"caf\xC3\xA9\"}\r\n{\"text\":\"b\"}\n",
                                 "{\"text\":\"cafe\"}\r\n{\"text\":\"b\"}\n"}) {  // ASCII only
    for (bool big_endian : {false, true}) {
      const std::string bom = big_endian ? "\xFE\xFF" : "\xFF\xFE";
      for (const std::string& bytes : {bom + Utf16(text, big_endian), Utf16(text, big_endian)}) {
        for (size_t step : {size_t{0}, size_t{3}}) {
          const auto records = ReadAllRecords("jsonl", bytes, {}, 1 << 20, step);
          ASSERT_EQ(records.size(), 2u) << big_endian << " " << bytes.size() << " " << step;
          EXPECT_EQ(records[0].text, text.substr(0, text.find('\r')));
          EXPECT_EQ(records[1].text, "{\"text\":\"b\"}");
          EXPECT_EQ(records[1].line, 2u);
        }
      }
    }
  }
}

TEST(JsonlReaderTest, NulByteSpoilsOnlyItsLine) {
  const auto records =
      ReadAllRecords("jsonl", std::string("{\"a\":1}\n{\"a\":\"\0\"}\n{\"a\":3}\n", 26));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].text, "{\"a\":1}");
  EXPECT_EQ(records[1].text, std::string("{\"a\":\"\0\"}", 9));
  EXPECT_EQ(records[2].text, "{\"a\":3}");
}

}  // namespace
}  // namespace tunepack::ingest
