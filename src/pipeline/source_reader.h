// SourceReader: reads one input file after another and cuts it into numbered tasks: a
// document, a batch of records, a dataset file to split, or a rejection (unreadable,
// empty, binary). Runs on one thread; it is the only place that touches input files.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "pipeline/byte_range.h"
#include "pipeline/run_state.h"
#include "pipeline/buffer_pool.h"
#include "pipeline/work.h"
#include "tunepack/pipeline/options.h"
#include "pipeline/event_publisher.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::ingest {
class DecompressingSource;
}

namespace tunepack::pipeline {

class HashingSource;  // source_reader.cc: the file's bytes, counted and hashed

class SourceReader {
 public:
  SourceReader(const ExportOptions& options, EventPublisher& events)
      : options_(options), events_(events) {}

  // Reads source number `index` and hands its tasks, in order, to `submit` (which returns
  // false to stop early). Returns what the manifest says about the file. A `range` that is
  // not the whole file (a rank of a sharded export, byte_range.h) reads only the records of
  // that range, numbered and located as one process numbers them; the file's start still
  // decides its type and record format, and only the rank that reads the start warns.
  SourceInfo Read(size_t index, const SourceFile& file, const ByteRange& range,
                  const std::function<bool(Task)>& submit);

  // Returns the warnings given so far (type mismatches, undetected formats), in order.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Reads records into buffers taken from `pool` (null: new ones).
  void RecycleBuffers(BufferPool* pool) { buffers_ = pool; }

 private:
  void Warn(std::string message);
  // Detects the dataset format of a record file from its first parsable record; `warn`:
  // say so when it is in no known format.
  const format::Format* DetectRecordFormat(const std::string& path, const ingest::RecordBatch& batch,
                                           bool warn = true);
  // Detects it as the reader of the whole file does, from the file's first batch, for a
  // rank whose byte range starts later in the file.
  const format::Format* DetectRecordFormatAtStart(const SourceFile& file);
  // Cuts a record file into batches; returns false when `submit` asked to stop.
  // `file_bytes` counts and hashes the file's own bytes below `source` (which may
  // decompress them).
  bool ReadRecords(const std::shared_ptr<SourceState>& state, const std::string& container,
                   const HashingSource& file_bytes, std::unique_ptr<ingest::ByteSource> source,
                   const SourceFile& file, const ByteRange& range, SourceInfo& info,
                   const std::function<bool(Task)>& submit);
  // Returns the ledger reason for a failed read: the decompressor's (corrupt data, over
  // --max-decompressed-bytes) when it failed, else `fallback`.
  RejectReason ReadFailureReason(RejectReason fallback) const;

  const ExportOptions& options_;
  EventPublisher& events_;
  std::vector<std::string> warnings_;
  simdjson::dom::parser parser_;
  BufferPool* buffers_ = nullptr;
  const ingest::DecompressingSource* decompressing_ = nullptr;  ///< the current file's, if compressed
};

}  // namespace tunepack::pipeline
