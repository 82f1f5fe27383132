// The units of work that flow from the reader thread through the workers to the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/hash.h"
#include "tunepack/core/reject_reason.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/format/format.h"
#include "tunepack/quality/pii.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/ingest/record_reader.h"
#include "tunepack/report/dataset_stats.h"

namespace tunepack::pipeline {

// Rejection: why one input unit was not written; one line of rejected.jsonl.
struct Rejection {
  Origin origin;
  uint64_t column = 0;
  RejectReason reason = RejectReason::kInternalError;
  std::string detail;  ///< a sentence for people
};

// SourceState: what the reader learned about one input file, shared with the workers.
struct SourceState {
  size_t index = 0;  ///< position in the ordered list of sources
  std::string path;
  const ingest::DocumentReader* document_reader = nullptr;  ///< for document files
  const format::Format* split_format = nullptr;  ///< plain-file dataset formats (convert)
  const format::Format* record_format = nullptr; ///< records: the detected/forced format
};

// Task: one piece of work, numbered in input order.
struct Task {
  enum class Kind { kDocument, kRecords, kSplitFile, kReject };
  uint64_t seq = 0;
  Kind kind = Kind::kReject;
  std::shared_ptr<const SourceState> source;
  uint64_t first_record = 0;   ///< record index of the first unit in the source
  std::string bytes;           ///< kDocument, kSplitFile: the whole file
  ingest::RecordBatch batch;   ///< kRecords
  Rejection rejection;         ///< kReject
  uint64_t input_bytes = 0;    ///< bytes of input this task consumed, for progress
  bool replay = false;         ///< written before an interruption: only rebuild dedup state
  // The source's bytes read when this task was cut, and their hash: once the task is
  // written, --resume must find the same prefix (pipeline/resume_check.h).
  uint64_t prefix_bytes = 0;
  Hash128 prefix_hash;
};

// RecordFigures: the statistics of one written record, measured by its worker
// (pipeline/export_stats.h): what reading it back from its data file gives.
struct RecordFigures {
  bool measured = false;  ///< false: it cannot be measured alone; the report reads the files back
  const format::Format* read_format = nullptr;  ///< the format it reads back as
  std::vector<report::ExampleFigures> examples;
  uint64_t unreadable = 0;  ///< records the reader would find unreadable
};

// UnitOutcome: what became of one input unit.
struct UnitOutcome {
  bool written = false;
  Origin origin;              ///< the input unit (for written ones; rejections carry their own)
  // A unit chunked into several examples has one outcome per chunk: all but the first
  // continue the unit, and only the last closes it (the writer counts units there).
  bool continues_unit = false;
  bool closes_unit = true;
  size_t split = 0;           ///< index into ExportOptions::splits
  size_t begin = 0;           ///< the encoded record: TaskResult::data[begin, begin+size)
  size_t size = 0;
  uint64_t invalid_utf8 = 0;  ///< invalid sequences replaced or skipped in this unit
  quality::PiiCounts pii;     ///< --redact-pii: findings replaced in this example
  bool truncated = false;     ///< cut at --max-example-tokens (--on-overlong truncate)
  Rejection rejection;        ///< when !written
  Hash128 exact_key;          ///< --dedup exact/both: the key of the example's content
  dedup::Signature signature; ///< --dedup near/both: its MinHash signature
  RecordFigures figures;      ///< when written: its statistics (stats.json), when measured
};

struct TaskResult {
  uint64_t seq = 0;
  bool replay = false;
  size_t source_index = 0;
  uint64_t input_bytes = 0;
  uint64_t prefix_bytes = 0;  ///< Task::prefix_bytes
  Hash128 prefix_hash;        ///< Task::prefix_hash
  std::string data;  ///< encoded records back to back
  std::vector<UnitOutcome> outcomes;
};

}  // namespace tunepack::pipeline
