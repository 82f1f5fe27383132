#include "pipeline/hf_layout.h"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "pipeline/export_report.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/ingest/record_reader.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/file_stats.h"
#include "tunepack/io/file.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;

// Row groups of about 100 MB of records, as `datasets` writes them for text (its
// MAX_ROW_GROUP_SIZE); a shard smaller than that is one row group.
constexpr uint64_t kRowGroupBytes = 100ull << 20;

// Streams records into an append file.
class FileOutput : public parquet::OutputStream {
 public:
  explicit FileOutput(std::unique_ptr<io::AppendFile> file) : file_(std::move(file)) {}
  Status Write(std::string_view bytes) override { return file_->Write(bytes); }
  io::AppendFile& file() { return *file_; }

 private:
  std::unique_ptr<io::AppendFile> file_;
};

struct Shard {
  std::string temp_name;  // relative to staging
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t record_bytes = 0;
};

struct SplitResult {
  std::vector<Shard> shards;
  parquet::Field schema;
  uint64_t examples = 0;
  uint64_t record_bytes = 0;  // JSON text: the card's num_bytes
  uint64_t file_bytes = 0;    // Parquet: the card's download_size
  std::optional<report::DatasetStats> stats;  // with a tokenizer: the card's token figures
};

class ShardWriter {
 public:
  ShardWriter(const ExportOptions& options, const std::string& staging, const std::string& split,
              const parquet::Field& schema)
      : options_(options), staging_(staging), split_(split), schema_(schema) {}

  Status Write(std::string_view record) {
    if (writer_ == nullptr) TP_RETURN_IF_ERROR(Start());
    Status status = writer_->Write(record);
    if (!status.ok()) {
      return InvalidArgumentError(OptionRef("layout") + " hf: split " + split_ + " record " + std::to_string(result_.examples + 1) +
                                  " does not fit the Parquet schema of its shard: " + status.message());
    }
    ++result_.examples;
    result_.record_bytes += record.size();
    // A shard ends once its written bytes plus the buffered records (guessed at a quarter of
    // their JSON size once compressed) reach the limit.
    if (writer_->bytes_written() + writer_->buffered_record_bytes() / 4 >= options_.max_shard_mb * 1000000ull) {
      TP_RETURN_IF_ERROR(Finish());
    }
    return Status::Ok();
  }

  Status Finish() {
    if (writer_ == nullptr) return Status::Ok();
    TP_RETURN_IF_ERROR(writer_->Close());
    TP_RETURN_IF_ERROR(output_->file().Sync());
    TP_RETURN_IF_ERROR(output_->file().Close());
    Shard& shard = result_.shards.back();
    shard.records = writer_->rows();
    shard.bytes = writer_->bytes_written();
    shard.record_bytes = writer_->record_bytes();
    result_.file_bytes += shard.bytes;
    result_.schema = writer_->schema();
    writer_.reset();
    output_.reset();
    return Status::Ok();
  }

  SplitResult& result() { return result_; }

 private:
  Status Start() {
    Shard shard;
    char number[32];
    std::snprintf(number, sizeof number, ".%05zu.parquet.partial", result_.shards.size());
    shard.temp_name = std::string(kHfDataDir) + "/" + split_ + number;
    TP_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(staging_ + "/" + shard.temp_name, -1));
    output_ = std::make_unique<FileOutput>(std::move(file));
    parquet::WriterOptions writer_options;
    writer_options.compression = options_.parquet_compression;
    writer_options.row_group_bytes = std::min<uint64_t>(kRowGroupBytes, std::max<uint64_t>(1, options_.max_shard_mb) * 1000000ull);
    writer_options.created_by = "tunepack";
    writer_options.schema = schema_;
    TP_ASSIGN_OR_RETURN(writer_, parquet::ParquetWriter::Create(*output_, writer_options));
    result_.shards.push_back(shard);
    return Status::Ok();
  }

  const ExportOptions& options_;
  std::string staging_;
  std::string split_;
  const parquet::Field& schema_;
  std::unique_ptr<FileOutput> output_;
  std::unique_ptr<parquet::ParquetWriter> writer_;
  SplitResult result_;
};

// Calls `use` with each record of the JSONL file at `path`, streamed (a batch of a few MB
// in memory at a time).
Status ForEachRecord(const std::string& path, const std::function<Status(std::string_view)>& use) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::InputFile> file, io::InputFile::Open(path));
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader("jsonl", ingest::FileByteSource(std::move(file))));
  ingest::RecordBatch batch;
  while (true) {
    TP_ASSIGN_OR_RETURN(bool more, reader->Next(batch, 4u << 20));
    if (!more) return Status::Ok();
    for (const ingest::RecordSpan& span : batch.records) {
      if (!span.error.empty()) return DataLossError(path + ":" + std::to_string(span.line) + ": " + span.error);
      TP_RETURN_IF_ERROR(use(std::string_view(batch.buffer).substr(span.begin, span.size)));
    }
  }
}

// The schema of every record of every split, found by reading the files once before any is
// written: a field that first appears (or changes type) late in the data is then still a
// column of the first shard, rather than a record the fixed schema would have to refuse,
// and all shards and splits share the one schema that the card's features describe (as
// `datasets` needs to load them together).
Result<parquet::Field> SchemaOfAll(const std::string& staging, const std::vector<OutputFileSummary>& files) {
  parquet::SchemaBuilder builder;
  for (const OutputFileSummary& file : files) {
    const std::string path = staging + "/" + file.path;
    uint64_t record = 0;
    TP_RETURN_IF_ERROR(ForEachRecord(path, [&](std::string_view text) {
      ++record;
      Status status = builder.Add(text);
      if (!status.ok()) return DataLossError(path + ": record " + std::to_string(record) + ": " + status.message());
      return Status::Ok();
    }));
  }
  return builder.Finish();
}

// dataset_info features, as `datasets` writes them in a card (Features._to_yaml_list):
// a scalar is {name, dtype}; a struct {name, struct: [...]}; a list of scalars
// {name, sequence: dtype} ... here written as `list` (datasets >= 4 writes List features as
// `list:`, older ones read it too).
nlohmann::ordered_json FeatureOf(const parquet::Field& field);

nlohmann::ordered_json TypeOf(const parquet::Field& field) {
  switch (field.kind) {
    case parquet::FieldKind::kString:
    case parquet::FieldKind::kJson: return "string";
    case parquet::FieldKind::kInt64: return "int64";
    case parquet::FieldKind::kDouble: return "float64";
    case parquet::FieldKind::kBool: return "bool";
    default: return nullptr;
  }
}

void DescribeInto(const parquet::Field& field, nlohmann::ordered_json& out) {
  switch (field.kind) {
    case parquet::FieldKind::kStruct: {
      nlohmann::ordered_json children = nlohmann::ordered_json::array();
      for (const parquet::Field& child : field.children) children.push_back(FeatureOf(child));
      out["struct"] = children;
      return;
    }
    case parquet::FieldKind::kList: {
      const parquet::Field& element = field.children.at(0);
      if (element.kind == parquet::FieldKind::kStruct) {
        nlohmann::ordered_json children = nlohmann::ordered_json::array();
        for (const parquet::Field& child : element.children) children.push_back(FeatureOf(child));
        out["list"] = children;
      } else if (element.kind == parquet::FieldKind::kList) {
        nlohmann::ordered_json inner;
        DescribeInto(element, inner);
        out["list"] = inner;
      } else {
        out["list"] = TypeOf(element);
      }
      return;
    }
    default:
      out["dtype"] = TypeOf(field);
  }
}

nlohmann::ordered_json FeatureOf(const parquet::Field& field) {
  nlohmann::ordered_json out;
  out["name"] = field.name;
  DescribeInto(field, out);
  return out;
}

// YAML is a superset of JSON: flow-style JSON values are valid YAML, so the front matter is
// written as YAML keys with JSON values where nesting gets deep.
std::string Yaml(const nlohmann::ordered_json& value, int indent);

std::string Scalar(const nlohmann::ordered_json& value) { return value.dump(); }

std::string Yaml(const nlohmann::ordered_json& value, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  std::string out;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (item.is_object() || (item.is_array() && !item.empty())) {
        out += pad + key + ":\n" + Yaml(item, indent + (item.is_array() ? 0 : 2));
      } else {
        out += pad + key + ": " + Scalar(item) + "\n";
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_object()) {
        const std::string nested = Yaml(item, indent + 2);
        out += pad + "- " + nested.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + "- " + Scalar(item) + "\n";
      }
    }
  }
  return out;
}

// The Hub's size category for `examples` ("n<1K", "1K<n<10K", ... "n>1T").
std::string SizeCategory(uint64_t examples) {
  static constexpr const char* kNames[] = {"1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T"};
  uint64_t bound = 1000;
  for (size_t i = 0; i < std::size(kNames); ++i, bound *= 10) {
    if (examples < bound) return i == 0 ? "n<1K" : std::string(kNames[i - 1]) + "<n<" + kNames[i];
  }
  return "n>1T";
}

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// The card's token figures per split, as stats.json gives them, or why there are none.
std::string TokenSection(const std::vector<std::pair<std::string, SplitResult>>& splits) {
  std::string section = "## Tokens\n\n";
  std::string tokenizer;
  for (const auto& [name, result] : splits) {
    if (result.stats) tokenizer = result.stats->tokenizer;
  }
  if (tokenizer.empty()) return section + "Not counted: the export was given no tokenizer.\n\n";
  section += "Tokens per example, counted with `" + tokenizer + "`:\n\n"
             "| split | examples | tokens | min | mean | median | p95 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& [name, result] : splits) {
    if (!result.stats) continue;
    const report::LengthHistogram& t = result.stats->tokens;
    section += "| " + name + " | " + std::to_string(t.count()) + " | " + std::to_string(t.sum()) + " | " +
               std::to_string(t.min()) + " | " + Number(t.mean()) + " | " + std::to_string(t.Percentile(0.5)) + " | " +
               std::to_string(t.Percentile(0.95)) + " | " + std::to_string(t.max()) + " |\n";
  }
  return section + "\n";
}

std::string DatasetCard(const ExportOptions& options, const std::vector<std::pair<std::string, SplitResult>>& splits,
                        const RunState& state, const std::string& options_json) {
  nlohmann::ordered_json front;
  nlohmann::ordered_json config = {{"config_name", "default"}, {"data_files", nlohmann::ordered_json::array()}};
  for (const auto& [name, result] : splits) {
    config["data_files"].push_back({{"split", name}, {"path", std::string(kHfDataDir) + "/" + name + "-*"}});
  }
  front["configs"] = nlohmann::ordered_json::array({config});
  nlohmann::ordered_json info;
  const parquet::Field* schema = nullptr;
  for (const auto& [name, result] : splits) {
    if (!result.schema.children.empty()) schema = &result.schema;
  }
  nlohmann::ordered_json features = nlohmann::ordered_json::array();
  if (schema) {
    for (const parquet::Field& field : schema->children) features.push_back(FeatureOf(field));
  }
  info["features"] = features;
  uint64_t download = 0, size = 0, total_examples = 0;
  nlohmann::ordered_json split_info = nlohmann::ordered_json::array();
  for (const auto& [name, result] : splits) {
    split_info.push_back({{"name", name}, {"num_bytes", result.record_bytes}, {"num_examples", result.examples}});
    download += result.file_bytes;
    size += result.record_bytes;
    total_examples += result.examples;
  }
  info["splits"] = split_info;
  info["download_size"] = download;
  info["dataset_size"] = size;
  front["dataset_info"] = info;
  if (!options.card_license.empty()) front["license"] = options.card_license;
  if (!options.card_languages.empty()) front["language"] = options.card_languages;
  front["size_categories"] = nlohmann::ordered_json::array({SizeCategory(total_examples)});

  std::string card = "---\n" + Yaml(front, 0) + "---\n\n";
  card += "# Dataset\n\n";
  card += "Fine-tuning data in the `" + options.output_format + "` format, written by tunepack " +
          "as Parquet shards under `data/` (one config, `default`). Load it with "
          "`datasets.load_dataset(\"path/to/this/folder\")`.\n\n";
  card += "## Counts\n\n| split | examples | shards |\n|---|---:|---:|\n";
  for (const auto& [name, result] : splits) {
    card += "| " + name + " | " + std::to_string(result.examples) + " | " + std::to_string(result.shards.size()) + " |\n";
  }
  card += "\nInputs: " + std::to_string(state.inputs) + "; written: " + std::to_string(state.written) +
          "; filtered: " + std::to_string(state.filtered) + "; rejected: " + std::to_string(state.rejected) + ".\n\n";
  card += TokenSection(splits);
  card += "## Rejections by reason\n\n";
  if (state.rejected_by_reason.empty() && state.filtered_by_reason.empty()) card += "None.\n";
  for (const auto& [reason, count] : state.rejected_by_reason) card += "- " + reason + ": " + std::to_string(count) + "\n";
  for (const auto& [reason, count] : state.filtered_by_reason) card += "- " + reason + " (filtered): " + std::to_string(count) + "\n";
  card += "\nEvery input is accounted for in `rejected.jsonl` and `manifest.json`, which the export wrote beside "
          "this card.\n\n## How it was made\n\nThe options of the run (as `manifest.json` records them):\n\n```json\n" +
          options_json + "\n```\n";
  return card;
}


// The token figures of one split's JSON Lines files, read back as stats.json reads them.
Result<report::DatasetStats> SplitTokenStats(const ExportOptions& options, const std::string& staging,
                                             const std::vector<OutputFileSummary>& files, const std::string& split,
                                             const format::Format& output_format,
                                             std::shared_ptr<const tokenize::Tokenizer> tokenizer) {
  std::vector<std::string> paths;
  for (const OutputFileSummary& file : files) {
    if (file.split == split) paths.push_back(staging + "/" + file.path);
  }
  const report::StatsOptions stats_options = ExportStatsOptions(options, output_format, std::move(tokenizer));
  if (paths.empty()) {
    report::DatasetStats none;
    none.tokenizer = std::string(stats_options.tokenizer->name());
    return none;
  }
  TP_ASSIGN_OR_RETURN(const format::Format* read_format, format::ReadBackFormat(output_format, paths));
  return report::ComputeFileStats(paths, read_format, stats_options);
}

// Measures the records in the pass that writes them into shards, read once for both
// stats.json (`stats`, whose data files are the shards) and the card's per-split token table.
// Reading a shard back gives each record as its JSON Lines file holds it, read as the format
// ReadBackFormat gives a Parquet file (the written format, or its read_as); the card reads the
// JSON Lines files as ReadBackFormat decides from their first record. Where the two differ
// (chat-template preference pairs), or a record cannot be measured alone, the files are read
// back instead, as before.
class ShardMeasurer {
 public:
  ShardMeasurer(ExportStats& stats, const format::Format& read_format, std::unique_ptr<report::WrittenRecordReader> reader)
      : stats_(stats), read_format_(read_format), reader_(std::move(reader)) {}

  // Returns a measurer, or null when the records of `files` must be read back.
  static Result<std::unique_ptr<ShardMeasurer>> Create(ExportStats* stats, const format::Format& output_format,
                                                       const std::string& staging,
                                                       const std::vector<OutputFileSummary>& files,
                                                       const std::vector<SplitSpec>& splits) {
    if (stats == nullptr || !stats->measured()) return std::unique_ptr<ShardMeasurer>();
    TP_ASSIGN_OR_RETURN(const format::Format* shard_format, format::ReadBackFormat(output_format, {}));
    for (const SplitSpec& split : splits) {
      std::vector<std::string> paths;
      for (const OutputFileSummary& file : files) {
        if (file.split == split.name) paths.push_back(staging + "/" + file.path);
      }
      TP_ASSIGN_OR_RETURN(const format::Format* split_format, format::ReadBackFormat(output_format, paths));
      if (split_format != shard_format) return std::unique_ptr<ShardMeasurer>();
    }
    std::unique_ptr<report::WrittenRecordReader> reader = report::WrittenRecordReader::Create(*shard_format, "data.jsonl");
    if (reader == nullptr) return std::unique_ptr<ShardMeasurer>();
    return std::make_unique<ShardMeasurer>(*stats, *shard_format, std::move(reader));
  }

  void BeginSplit() { split_stats_.emplace(stats_.spec().options); }

  // Measures `record` (without its newline), written to the shard `shard` of split `split`.
  void Add(size_t split, const std::string& shard, std::string_view record) {
    if (!ok()) return;
    line_.assign(record);
    line_.push_back('\n');
    RecordFigures figures = MeasureWrittenRecord(stats_.spec(), *reader_, read_format_, line_);
    if (!figures.measured) {
      stats_.GiveUp();
      return;
    }
    for (const report::ExampleFigures& example : figures.examples) split_stats_->AddFigures(example);
    stats_.Add(split, shard, figures);
  }

  // The figures of the split begun last.
  report::DatasetStats SplitStats() { return std::move(*split_stats_).Finish(); }

  // False once a record could not be measured: the files are then read back.
  bool ok() const { return stats_.measured(); }

 private:
  ExportStats& stats_;
  const format::Format& read_format_;
  std::unique_ptr<report::WrittenRecordReader> reader_;
  std::optional<report::StatsCollector> split_stats_;
  std::string line_;
};

}  // namespace

Result<std::vector<OutputFileSummary>> WriteHfLayout(const ExportOptions& options, const std::string& staging,
                                                     const std::vector<OutputFileSummary>& files,
                                                     const RunState& state, const std::string& options_json,
                                                     const format::Format& output_format,
                                                     std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                                     ExportStats* stats) {
  std::error_code error;
  fs::create_directories(staging + "/" + kHfDataDir, error);
  if (error) return Status(StatusCode::kUnknown, staging + "/" + kHfDataDir + ": cannot create: " + error.message());
  TP_ASSIGN_OR_RETURN(const parquet::Field schema, SchemaOfAll(staging, files));
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ShardMeasurer> measurer,
                      ShardMeasurer::Create(stats, output_format, staging, files, options.splits));
  if (measurer == nullptr && stats != nullptr) stats->GiveUp();
  std::vector<std::pair<std::string, SplitResult>> splits;
  for (size_t split_idx = 0; split_idx < options.splits.size(); ++split_idx) {
    const SplitSpec& split = options.splits[split_idx];
    ShardWriter writer(options, staging, split.name, schema);
    if (measurer) measurer->BeginSplit();
    for (const OutputFileSummary& file : files) {
      if (file.split != split.name) continue;
      TP_RETURN_IF_ERROR(ForEachRecord(staging + "/" + file.path, [&](std::string_view record) {
        TP_RETURN_IF_ERROR(writer.Write(record));
        if (measurer) measurer->Add(split_idx, writer.result().shards.back().temp_name, record);
        return Status::Ok();
      }));
    }
    TP_RETURN_IF_ERROR(writer.Finish());
    splits.emplace_back(split.name, std::move(writer.result()));
    if (tokenizer && measurer) splits.back().second.stats = measurer->SplitStats();
  }
  // Records that could not be measured as written: the card's token figures read the files.
  if (tokenizer && (measurer == nullptr || !measurer->ok())) {
    for (auto& [name, result] : splits) {
      TP_ASSIGN_OR_RETURN(result.stats, SplitTokenStats(options, staging, files, name, output_format, tokenizer));
    }
  }
  // Names carry the shard count, known only now: data/<split>-00000-of-00002.parquet.
  std::vector<OutputFileSummary> shards;
  for (const auto& [name, result] : splits) {
    for (size_t i = 0; i < result.shards.size(); ++i) {
      char suffix[48];
      std::snprintf(suffix, sizeof suffix, "-%05zu-of-%05zu.parquet", i, result.shards.size());
      const std::string path = std::string(kHfDataDir) + "/" + name + suffix;
      fs::rename(staging + "/" + result.shards[i].temp_name, staging + "/" + path, error);
      if (error) return Status(StatusCode::kUnknown, "cannot rename a Parquet shard: " + error.message());
      if (stats != nullptr) stats->RenameFile(result.shards[i].temp_name, path);
      shards.push_back(OutputFileSummary{path, name, result.shards[i].records, result.shards[i].bytes});
    }
  }
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(staging + "/" + kDatasetCardFile, DatasetCard(options, splits, state, options_json)));
  return shards;
}

}  // namespace tunepack::pipeline
