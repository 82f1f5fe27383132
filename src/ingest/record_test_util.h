// Test helper: runs a record reader to the end and collects what it produced.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tunepack/ingest/record_reader.h"

namespace tunepack::ingest {

struct ReadRecord {
  std::string text;
  uint64_t line = 0;
  std::string error;
  uint64_t column = 0;
};

// A ByteSource that hands out at most `step` bytes per Read, to cross chunk boundaries.
class TrickleSource : public ByteSource {
 public:
  TrickleSource(std::string bytes, size_t step) : bytes_(std::move(bytes)), step_(step) {}
  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::min({size, step_, bytes_.size() - pos_});
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t step_;
  size_t pos_ = 0;
};

// Reads every record of `bytes` as `container`, `target_bytes` per batch, fed `step` bytes
// at a time (0: all at once). Fails the test on a reader error.
inline std::vector<ReadRecord> ReadAllRecords(std::string_view container, const std::string& bytes,
                                              RecordReaderOptions options = {},
                                              size_t target_bytes = 1 << 20, size_t step = 0) {
  std::unique_ptr<ByteSource> source =
      step == 0 ? StringByteSource(bytes) : std::make_unique<TrickleSource>(bytes, step);
  auto reader = OpenRecordReader(container, std::move(source), options);
  EXPECT_TRUE(reader.ok()) << reader.error().ToString();
  std::vector<ReadRecord> out;
  if (!reader.ok()) return out;
  RecordBatch batch;
  for (int guard = 0; guard < 1000000; ++guard) {
    Result<bool> more = (*reader)->Next(batch, target_bytes);
    EXPECT_TRUE(more.ok()) << more.error().ToString();
    if (!more.ok() || !*more) break;
    EXPECT_GE(batch.buffer.size(), kRecordPadding);
    for (const RecordSpan& span : batch.records) {
      EXPECT_LE(span.begin + span.size + kRecordPadding, batch.buffer.size());
      out.push_back({batch.buffer.substr(span.begin, span.size), span.line, span.error,
                     span.column});
    }
  }
  return out;
}

}  // namespace tunepack::ingest
