#include "pipeline/export_stats.h"

#include <algorithm>

#include <simdjson.h>

#include "pipeline/export_report.h"
#include "tunepack/core/json_written_string.h"

namespace tunepack::pipeline {

std::optional<ExportStatsSpec> MakeExportStatsSpec(const ExportOptions& options, const format::Format& output_format,
                                                   std::shared_ptr<const tokenize::Tokenizer> tokenizer) {
  ExportStatsSpec spec;
  spec.options = ExportStatsOptions(options, output_format, std::move(tokenizer));
  if (spec.options.tokenizer) {
    Result<report::OpenAiBilling> billing = report::OpenAiBilling::Create(spec.options.tokenizer);
    if (!billing.has_value()) return std::nullopt;  // the read-back then reports the error
    spec.billing = std::make_shared<const report::OpenAiBilling>(std::move(*billing));
  }
  spec.output_format = &output_format;
  spec.file_name = "data" + output_format.extension;
  // Files of a format read whole cannot be measured a record at a time.
  if (output_format.read_as.empty() && !report::WrittenRecordReader::Create(output_format, spec.file_name)) {
    return std::nullopt;
  }
  return spec;
}

report::WrittenRecordReader* RecordMeasurer::ReaderFor(const format::Format& format) {
  auto [it, inserted] = readers_.try_emplace(&format);
  if (inserted) it->second = report::WrittenRecordReader::Create(format, spec_.file_name);
  return it->second.get();
}

namespace {

// A text record as the formats that read back as they write it: {"text":"..."} and its newline.
constexpr std::string_view kTextRecordOpen = "{\"text\":\"";
constexpr std::string_view kTextRecordClose = "\"}\n";

// True for an example whose written record any reads_back_as_written format reads back as
// the same example: a text, or messages of role, content and name. Tools, tool calls and
// carried fields are rewritten by some writers (bare tool schemas wrapped, image lists
// turned into content parts), so those examples are read back.
bool IsPlain(const Example& example) {
  if (example.kind != ExampleKind::kText && example.kind != ExampleKind::kConversation) return false;
  if (!example.tools.empty() || !example.unread_fields.empty()) return false;
  return std::all_of(example.messages.begin(), example.messages.end(),
                     [](const Message& message) { return message.has_content && message.tool_calls.empty(); });
}

}  // namespace

RecordFigures RecordMeasurer::MeasureInHand(const Example& example) const {
  RecordFigures figures;
  Result<report::ExampleFigures> measured = report::MeasureExample(spec_.options, example, spec_.billing.get());
  figures.measured = measured.has_value();
  figures.read_format = spec_.output_format;
  if (!figures.measured) return figures;
  // The file holds the metadata only when it is written: a record read back has none else.
  if (!write_options_.include_metadata) measured->scores = report::ExampleScores();
  figures.examples.push_back(std::move(*measured));
  return figures;
}

RecordFigures RecordMeasurer::Measure(const Example& example, std::string_view record, std::string* rendered_text) {
  if (spec_.output_format->reads_back_as_written && IsPlain(example)) return MeasureInHand(example);
  // A write-only format's files read as the format their first record decides.
  const format::Format* read_format = spec_.output_format;
  if (!read_format->read_as.empty()) {
    const std::string_view first_line = record.substr(0, record.find('\n'));
    if (first_line.empty()) return RecordFigures();  // not measured: the report reads the files back
    Result<const format::Format*> decided = format::ReadBackFormatOfLine(*spec_.output_format, first_line);
    if (!decided.has_value()) return RecordFigures();
    read_format = *decided;
  }
  if (ReadTextRecord(*read_format, record, rendered_text)) {
    RecordFigures figures;
    Result<report::ExampleFigures> measured = report::MeasureExample(spec_.options, text_example_, spec_.billing.get());
    figures.measured = measured.has_value();
    figures.read_format = read_format;
    if (figures.measured) figures.examples.push_back(std::move(*measured));
    return figures;
  }
  report::WrittenRecordReader* reader = ReaderFor(*read_format);
  if (reader == nullptr) return RecordFigures();
  return MeasureWrittenRecord(spec_, *reader, *read_format, record);
}

bool RecordMeasurer::WritesTextRecords(const format::Format& format) {
  auto [it, inserted] = writes_text_records_.try_emplace(&format, false);
  if (inserted) {
    // A format that reads back as it writes, and writes a text example as {"text":"..."}
    // alone, reads such a record back as the text example.
    Example probe;
    probe.kind = ExampleKind::kText;
    probe.text = "\"text\"\n";
    std::string record;
    it->second = format.reads_back_as_written && format.write(probe, write_options_, record).ok() &&
                 record == std::string(kTextRecordOpen) + "\\\"text\\\"\\n" + std::string(kTextRecordClose);
  }
  return it->second;
}

bool RecordMeasurer::ReadTextRecord(const format::Format& read_format, std::string_view record,
                                    std::string* rendered_text) {
  if (record.size() < kTextRecordOpen.size() + kTextRecordClose.size() || !record.starts_with(kTextRecordOpen) ||
      !record.ends_with(kTextRecordClose) || !WritesTextRecords(read_format)) {
    return false;
  }
  text_example_.kind = ExampleKind::kText;
  if (rendered_text != nullptr && !rendered_text->empty()) {
    // The record is AppendJsonString of this very text, which reads back as the text when
    // it is valid UTF-8 (else the record would be unreadable, as below).
    text_example_.text.swap(*rendered_text);
    return simdjson::validate_utf8(text_example_.text.data(), text_example_.text.size());
  }
  text_example_.text.clear();
  const std::string_view body =
      record.substr(kTextRecordOpen.size(), record.size() - kTextRecordOpen.size() - kTextRecordClose.size());
  // ReadWrittenJsonString takes only what AppendJsonString writes, so the format writes
  // the text it gives back as this very record. Not valid UTF-8, the record would be
  // unreadable to the parser (simdjson's own check).
  return ReadWrittenJsonString(body, text_example_.text) &&
         simdjson::validate_utf8(text_example_.text.data(), text_example_.text.size());
}

RecordFigures MeasureWrittenRecord(const ExportStatsSpec& spec, report::WrittenRecordReader& reader,
                                   const format::Format& read_format, std::string_view record) {
  RecordFigures figures;
  Status measured = reader.Read(
      record,
      [&](const Example& example) -> Status {
        TP_ASSIGN_OR_RETURN(report::ExampleFigures example_figures, report::MeasureExample(spec.options, example, spec.billing.get()));
        figures.examples.push_back(std::move(example_figures));
        return Status::Ok();
      },
      figures.unreadable);
  figures.measured = measured.ok();
  figures.read_format = &read_format;
  return figures;
}

ExportStats::ExportStats(const ExportStatsSpec& spec, size_t splits)
    : spec_(spec), collector_(spec.options), deferred_scores_(splits) {}

void ExportStats::SelectFile(const std::string& file) {
  auto [it, inserted] = file_index_.try_emplace(file, file_index_.size());
  if (inserted) collector_.BeginFile(file, "");
  collector_.SelectFile(it->second);
}

void ExportStats::AddExample(size_t split, report::ExampleFigures& figures) {
  // Split 0's files are read back first, so its scores add in write order; the others' wait
  // for the splits before them.
  if (split > 0 && (!figures.scores.language.empty() || figures.scores.has_quality)) {
    deferred_scores_[split].push_back(std::move(figures.scores));
    figures.scores = report::ExampleScores();
  }
  collector_.AddFigures(figures);
}

void ExportStats::Add(size_t split, const std::string& file, RecordFigures& figures) {
  if (!measured_) return;
  if (!figures.measured || (read_format_ != nullptr && figures.read_format != read_format_)) {
    // A record that would not read alone as in its file, or records that would read as
    // different formats: only reading the files back tells.
    measured_ = false;
    return;
  }
  read_format_ = figures.read_format;
  SelectFile(file);
  for (report::ExampleFigures& example : figures.examples) AddExample(split, example);
  for (uint64_t i = 0; i < figures.unreadable; ++i) collector_.AddUnreadable();
}

void ExportStats::RenameFile(const std::string& from, const std::string& to) {
  auto node = file_index_.extract(from);
  if (node.empty()) return;
  node.key() = to;
  file_index_.insert(std::move(node));
}

Status ExportStats::AddWrittenFiles(const std::string& dir, const std::vector<OutputFileSummary>& files,
                                    const std::vector<SplitSpec>& splits) {
  std::vector<std::string> paths;
  for (const OutputFileSummary& file : files) paths.push_back(dir + "/" + file.path);
  Result<const format::Format*> read_format = format::ReadBackFormat(*spec_.output_format, paths);
  if (!read_format.has_value()) {
    measured_ = false;
    return Status::Ok();
  }
  for (size_t i = 0; i < files.size() && measured_; ++i) {
    size_t split = 0;
    while (split < splits.size() && splits[split].name != files[i].split) ++split;
    if (split == splits.size()) return DataLossError("checkpoint names an unknown split: " + files[i].split);
    report::DatasetVisitor visitor;
    visitor.on_example = [&](const Example& example, uint64_t) -> Status {
      RecordFigures figures;
      figures.read_format = *read_format;
      Result<report::ExampleFigures> measured = report::MeasureExample(spec_.options, example, spec_.billing.get());
      figures.measured = measured.has_value();
      if (figures.measured) figures.examples.push_back(std::move(*measured));
      Add(split, files[i].path, figures);
      return Status::Ok();
    };
    visitor.on_unreadable = [&](uint64_t, const std::string&) -> Status {
      RecordFigures figures;
      figures.measured = true;
      figures.read_format = *read_format;
      figures.unreadable = 1;
      Add(split, files[i].path, figures);
      return Status::Ok();
    };
    // A file that cannot be read back now is the read-back's to report.
    if (!report::ReadDataset(paths[i], *read_format, visitor).ok()) measured_ = false;
  }
  return Status::Ok();
}

Result<report::DatasetStats> ExportStats::Finish(const std::vector<OutputFileSummary>& files,
                                                 const std::string& manifest_json) && {
  for (const std::vector<report::ExampleScores>& split : deferred_scores_) {
    for (const report::ExampleScores& scores : split) collector_.AddScores(scores);
  }
  TP_ASSIGN_OR_RETURN(report::ExportCounts counts, report::ParseManifestCounts(manifest_json));
  collector_.SetExportCounts(std::move(counts));
  const format::Format* read_format = read_format_;
  if (read_format == nullptr) {  // nothing written: the files read as ReadBackFormat says of empty files
    TP_ASSIGN_OR_RETURN(read_format, format::ReadBackFormat(*spec_.output_format, {}));
  }
  report::DatasetStats stats = std::move(collector_).Finish();
  // The summaries in the order of the files, which is the order they are read back in.
  std::vector<report::FileSummary> ordered;
  for (const OutputFileSummary& file : files) {
    auto it = file_index_.find(file.path);
    report::FileSummary summary = it == file_index_.end() ? report::FileSummary() : std::move(stats.files[it->second]);
    summary.path = file.path;
    summary.split = file.split;
    summary.format = read_format->name;
    ordered.push_back(std::move(summary));
  }
  stats.files = std::move(ordered);
  return stats;
}

}  // namespace tunepack::pipeline
