// Factories for the built-in record readers, one per file (jsonl_reader.cc, json_reader.cc,
// csv_reader.cc, parquet_record_reader.cc); record_reader.cc registers them. Internal to the ingest module.
#pragma once

#include <memory>

#include "tunepack/ingest/record_reader.h"

namespace tunepack::ingest::internal {

// Bytes asked of a ByteSource per Read: large enough to amortise the call, small enough
// that a reader's memory stays a few chunks above its largest record.
inline constexpr size_t kReadChunkBytes = 64 * 1024;

std::unique_ptr<RecordReader> OpenJsonlReader(std::unique_ptr<ByteSource> source,
                                              const RecordReaderOptions& options);
std::unique_ptr<RecordReader> OpenJsonReader(std::unique_ptr<ByteSource> source,
                                             const RecordReaderOptions& options);
std::unique_ptr<RecordReader> OpenCsvReader(std::unique_ptr<ByteSource> source,
                                            const RecordReaderOptions& options);
std::unique_ptr<RecordReader> OpenParquetReader(std::unique_ptr<ByteSource> source,
                                                const RecordReaderOptions& options);

// Appends kRecordPadding bytes to `batch.buffer` so that readers that read ahead can parse
// the last record in place.
void PadBatch(RecordBatch& batch);

// Returns "record exceeds N bytes", the error every reader gives an oversize record.
std::string OversizeMessage(size_t max_record_bytes);

}  // namespace tunepack::ingest::internal
