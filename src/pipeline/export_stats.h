// The statistics of an export (stats.json, report.html) measured while it writes, instead
// of reading its data files back afterwards in one thread. Each worker measures the records
// it has just encoded (RecordMeasurer, report::MeasureExample): from the example in hand
// when the output format reads it back unchanged (format::Format::reads_back_as_written),
// else from the record read back the way the files would be (report::WrittenRecordReader);
// the ordered writer adds the figures of the records it writes (ExportStats). The result is
// the same, byte for byte, as reading the files back (WriteExportReport), which stays the
// way when the output cannot be measured record by record (a format whose files are read
// whole, a record that would not read alone as in its file). --layout hf measures its
// records in the one pass that turns them into Parquet shards (hf_layout.h), not in the
// workers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/work.h"
#include "tunepack/format/format.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/dataset_stats.h"

namespace tunepack::pipeline {

// ExportStatsSpec: what the workers and the writer share: the options of the statistics
// and the format the records are written in. Immutable once built.
struct ExportStatsSpec {
  report::StatsOptions options;
  std::shared_ptr<const report::OpenAiBilling> billing;  ///< with a tokenizer
  const format::Format* output_format = nullptr;
  std::string file_name;  ///< the name of a data file (decides how it is read back)
};

// RecordMeasurer: a worker's part; one per worker thread.
class RecordMeasurer {
 public:
  RecordMeasurer(const ExportStatsSpec& spec, const format::WriteOptions& write_options)
      : spec_(spec), write_options_(write_options) {}

  // Returns the figures of `example`, just written as `record` (one record of a data file,
  // its newline included): measured on the example itself when the output format reads
  // such an example back as written (format::Format::reads_back_as_written), else on
  // `record` read back. `rendered_text`, when not empty, is the text the format rendered
  // into the record's "text" field (format::WriteOptions::rendered_text): a text record is
  // then measured on it, without reading it out of the JSON; it is left with stale bytes.
  RecordFigures Measure(const Example& example, std::string_view record, std::string* rendered_text = nullptr);

 private:
  report::WrittenRecordReader* ReaderFor(const format::Format& format);
  RecordFigures MeasureInHand(const Example& example) const;
  // A text record, {"text":"..."} (chat-template's conversations without token ids or
  // metadata): true when `read_format` writes the text in it as exactly `record` and reads
  // it back as written; the text example it reads back as is then in text_example_, and is
  // measured without parsing the record (nor reading its text out of the JSON when
  // `rendered_text` has it). False for any other record.
  bool ReadTextRecord(const format::Format& read_format, std::string_view record, std::string* rendered_text);
  // Returns true when `format` reads back as written and writes a text example as
  // {"text":"..."} alone (found once per format).
  bool WritesTextRecords(const format::Format& format);

  const ExportStatsSpec& spec_;
  const format::WriteOptions& write_options_;
  std::map<const format::Format*, std::unique_ptr<report::WrittenRecordReader>> readers_;
  std::map<const format::Format*, bool> writes_text_records_;
  Example text_example_;  ///< ReadTextRecord's, kept for its room
};

// Returns the figures of `record`, one record as a JSON Lines data file holds it (its newline
// included), read as `read_format` by `reader` (made for that format).
RecordFigures MeasureWrittenRecord(const ExportStatsSpec& spec, report::WrittenRecordReader& reader,
                                   const format::Format& read_format, std::string_view record);

// ExportStats: the writer's part. Adds the figures of each written record in write order;
// the data files' order (split by split) decides only the order of the floating-point score
// sums, so the scores of later splits wait until the end.
class ExportStats {
 public:
  ExportStats(const ExportStatsSpec& spec, size_t splits);

  // Counts the record just written to `file` of split `split`.
  void Add(size_t split, const std::string& file, RecordFigures& figures);
  // A resumed export: counts what the interrupted run wrote to `files` (in `dir`), read
  // back, before any new record.
  Status AddWrittenFiles(const std::string& dir, const std::vector<OutputFileSummary>& files,
                         const std::vector<SplitSpec>& splits);

  // False when the figures cannot stand for reading the files back (see the file comment):
  // the caller reads them back instead.
  bool measured() const { return measured_; }
  // Gives up measuring: the caller reads the files back.
  void GiveUp() { measured_ = false; }
  // Renames the data file figures were added for (a shard, named once its split is written).
  void RenameFile(const std::string& from, const std::string& to);
  const ExportStatsSpec& spec() const { return spec_; }
  // Returns the statistics of the finished export's `files` (the data files, in order) with
  // the ledger of `manifest_json`.
  Result<report::DatasetStats> Finish(const std::vector<OutputFileSummary>& files, const std::string& manifest_json) &&;

 private:
  void AddExample(size_t split, report::ExampleFigures& figures);
  void SelectFile(const std::string& file);

  const ExportStatsSpec& spec_;
  bool measured_ = true;
  report::StatsCollector collector_;
  const format::Format* read_format_ = nullptr;  ///< the format the records read as, once one is
  std::map<std::string, size_t> file_index_;     ///< data file -> the collector's summary
  std::vector<std::vector<report::ExampleScores>> deferred_scores_;  ///< per split; split 0 adds at once
};

// Returns the spec of an export's statistics, or nullopt when its output cannot be measured
// while writing (the report is then read back).
std::optional<ExportStatsSpec> MakeExportStatsSpec(const ExportOptions& options, const format::Format& output_format,
                                                   std::shared_ptr<const tokenize::Tokenizer> tokenizer);

}  // namespace tunepack::pipeline
