// UnitProcessor: a worker's job. Turns one Task into encoded output records and rejections.
// One instance per worker thread (it owns a JSON parser and scratch buffers); everything it
// reads from the options and formats is immutable and shared.
#pragma once

#include <optional>
#include <string>

#include <simdjson.h>

#include "pipeline/buffer_pool.h"
#include "pipeline/example_limit.h"
#include "pipeline/example_steps.h"
#include "pipeline/export_stats.h"
#include "pipeline/media_check.h"
#include "pipeline/work.h"
#include "tunepack/chunk/chunker.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/format/format.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// SharedStages: the export-wide objects every worker uses, built once by RunExport; a null
// pointer means the stage is off. All are thread-safe for what workers call.
struct SharedStages {
  const dedup::ExactDeduper* exact = nullptr;   ///< Key() only; the writer inserts
  const dedup::NearDeduper* near = nullptr;     ///< Sign() only; the writer inserts
  const chunk::Chunker* chunker = nullptr;
  const ExampleSteps* steps = nullptr;
  const ExampleLimit* limit = nullptr;          ///< --max-example-tokens
};

class UnitProcessor {
 public:
  // `exact` and `near` (null when that dedup is off) are only used through their const,
  // thread-safe Key() and Sign(); the writer owns the order-dependent Insert().
  UnitProcessor(const ExportOptions& options, const format::Format& output_format,
                SharedStages stages = {});

  // Processes `task`; the result holds one outcome per input unit, in order.
  TaskResult Process(const Task& task);
  // Measures each record written from now on for the statistics (stats.json), from the
  // example it was written from (RecordMeasurer).
  void MeasureWith(const ExportStatsSpec& spec) { measurer_.emplace(spec, write_options_); }
  // Encodes records into buffers taken from `pool` (null: new ones).
  void RecycleBuffers(BufferPool* pool) { buffers_ = pool; }
  // Lists the outcomes of each task in a list taken from `pool` (null: a new one).
  void RecycleOutcomes(OutcomePool* pool) { outcome_lists_ = pool; }

 private:
  void ProcessDocument(const Task& task, TaskResult& result);
  void ProcessRecords(const Task& task, TaskResult& result);
  void ProcessSplitFile(const Task& task, TaskResult& result);
  // Parses one record and turns it into an example (or a rejection in `outcome`).
  bool RecordToExample(const SourceState& source, std::string_view json, const Origin& origin,
                       Example& example, UnitOutcome& outcome);
  // Adds metadata, scores quality, chooses the split and encodes `example` into result.data.
  void Emit(Example& example, UnitOutcome& outcome, TaskResult& result);
  void NormalizeExample(Example& example);
  // Applies --max-example-tokens to `example`. Returns true when the caller should write it
  // (it fits, or was truncated); false when it was rejected or split into pieces emitted
  // here.
  bool ApplyExampleLimit(Example& example, UnitOutcome& outcome, TaskResult& result);
  // Emits `example` whole, or, with a chunker and a text example, one example per chunk of
  // `document` (the example's own text when null; such examples are normalised first).
  void EmitUnit(Example& example, const Document* document, TaskResult& result,
                uint64_t invalid_utf8 = 0);

  const ExportOptions& options_;
  const format::Format& output_format_;
  SharedStages stages_;
  bool emitting_pieces_ = false;  // inside ApplyExampleLimit's split: pieces are not re-split
  format::WriteOptions write_options_;
  std::string rendered_text_;  ///< the text a rendering format wrote (WriteOptions::rendered_text)
  Example record_example_;     ///< the example of the record in hand, reused record after record
  ingest::DocumentOptions document_options_;
  MediaCheck media_;
  simdjson::dom::parser parser_;
  simdjson::dom::parser layout_parser_;  // the record renamed by --dataset-info
  std::string renamed_;
  std::string repaired_;
  std::optional<RecordMeasurer> measurer_;
  BufferPool* buffers_ = nullptr;
  OutcomePool* outcome_lists_ = nullptr;
};

// Returns the split index for an example whose content key hashes to `hash`: the splits'
// fractions partition [0, 1) in order.
size_t ChooseSplit(const std::vector<SplitSpec>& splits, uint64_t hash);

// Returns the text that decides an example's identity for splitting (and, later, exact
// deduplication): its text, or its roles, contents and tool calls.
std::string ContentKey(const Example& example);

}  // namespace tunepack::pipeline
