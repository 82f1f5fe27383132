// ExportOptions: the typed, validated configuration of one export or conversion. The CLI
// turns flags into this before any work starts; nothing below it sees raw flag strings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tunepack/chunk/chunker.h"
#include "tunepack/core/enum_table.h"
#include "tunepack/parquet/parquet.h"
#include "tunepack/core/utf8.h"
#include "tunepack/dedup/near_deduper.h"
#include "tunepack/quality/gopher.h"
#include "tunepack/format/record_layout.h"
#include "tunepack/format/example_template.h"
#include "tunepack/format/format.h"
#include "tunepack/quality/pii.h"
#include "tunepack/format/mapping.h"
#include "tunepack/normalize/normalizer.h"
#include "tunepack/options/option_spec.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {

// SplitSpec: one output split and the share of examples it receives.
struct SplitSpec {
  std::string name;
  double fraction = 1.0;
};

// Parses "train=0.9,validation=0.1"; fractions must be positive and sum to 1 (within 1e-9).
Result<std::vector<SplitSpec>> ParseSplits(std::string_view spec);

enum class ProgressMode { kAuto, kBar, kJson, kNone };
// OutputLayout: how an export's data files are laid out in the output folder.
enum class OutputLayout {
  kFlat,  ///< <split><ext> files (or <split>-NNNNN<ext> shards) in the folder
  kHf,    ///< Hugging Face: data/<split>-NNNNN-of-NNNNN.parquet and a README.md dataset card
};
inline constexpr EnumTable<OutputLayout, 2> kOutputLayouts{
    "layout", {{{OutputLayout::kFlat, "flat"}, {OutputLayout::kHf, "hf"}}}};

inline constexpr EnumTable<ProgressMode, 4> kProgressModes{
    "progress",
    {{{ProgressMode::kAuto, "auto"}, {ProgressMode::kBar, "bar"}, {ProgressMode::kJson, "json"},
      {ProgressMode::kNone, "none"}}}};

// DedupMode: which duplicates an export drops (option dedup).
enum class DedupMode { kOff, kExact, kNear, kBoth };
inline constexpr EnumTable<DedupMode, 4> kDedupModes{
    "dedup",
    {{{DedupMode::kOff, "off"}, {DedupMode::kExact, "exact"}, {DedupMode::kNear, "near"},
      {DedupMode::kBoth, "both"}}}};

// OverlongPolicy: what an export does with an example over --max-example-tokens.
enum class OverlongPolicy {
  kDrop,      ///< reject it into the ledger (reason "too_long"); the default
  kSplit,     ///< chunk a text example into pieces that fit; conversations are rejected
  kTruncate,  ///< cut it at the limit, counted in the manifest (examples_truncated)
};

inline constexpr EnumTable<OverlongPolicy, 3> kOverlongPolicies{
    "on-overlong",
    {{{OverlongPolicy::kDrop, "drop"}, {OverlongPolicy::kSplit, "split"},
      {OverlongPolicy::kTruncate, "truncate"}}}};

// RepeatedRemoval: option remove-repeated, inside each text example.
enum class RepeatedRemoval { kOff, kLines, kParagraphs };
inline constexpr EnumTable<RepeatedRemoval, 3> kRepeatedRemovals{
    "remove-repeated",
    {{{RepeatedRemoval::kOff, "off"}, {RepeatedRemoval::kLines, "lines"},
      {RepeatedRemoval::kParagraphs, "paragraphs"}}}};

// MediaFileCheck: option media-files, what is checked of the local files records point to.
enum class MediaFileCheck { kCheck, kSkip };
inline constexpr EnumTable<MediaFileCheck, 2> kMediaFileChecks{
    "media-files", {{{MediaFileCheck::kCheck, "check"}, {MediaFileCheck::kSkip, "skip"}}}};

// ExampleStepOptions: the per-example clean-up and filters (see pipeline/example_steps.h).
struct ExampleStepOptions {
  RepeatedRemoval remove_repeated = RepeatedRemoval::kOff;  ///< --remove-repeated
  bool redact_pii = false;                   ///< --redact-pii
  quality::PiiOptions pii;                   ///< --pii-kinds
  bool detect_language = false;              ///< --detect-language: record, do not filter
  std::string languages;                     ///< --languages en,fr: keep only these
  std::vector<std::string> decontaminate_files;  ///< --decontaminate FILE (text or JSONL)
  int decontaminate_ngram = 13;              ///< --decontaminate-ngram
};

struct ExportOptions {
  // Inputs.
  std::vector<std::string> inputs;          ///< files, folders (recursive) or "-" for stdin
  std::vector<std::string> include_globs;   ///< in folders, keep only files matching one
  std::vector<std::string> exclude_globs;   ///< in folders, skip files matching one
  bool follow_links = false;                ///< --follow-links: in folders, follow links anywhere
  std::string input_format;                 ///< force records to be read as this format
  format::RecordMapping mapping;            ///< --text-field, --map, --meta-field
  // --template FILE (--template-dir DIR...): maps each record, document or chunk to an
  // example instead of `mapping` and format detection; loaded and parsed before the run.
  std::shared_ptr<const format::ExampleTemplate> example_template;
  // --dataset-info FILE or --axolotl-config FILE, with --dataset: how the records' fields
  // map to the format they are read with (its format() is then input_format).
  std::shared_ptr<const format::RecordLayout> dataset_layout;
  std::vector<std::pair<std::string, std::string>> meta;  ///< --meta key=value
  InvalidUtf8Policy on_invalid_utf8 = InvalidUtf8Policy::kReplace;
  bool normalize_text = true;               ///< false for `convert`: keep records as they are
  // Record fields (JSONL/JSON/CSV) are data and pass through verbatim unless asked
  // (--normalize-records); `normalize` then applies to them as to documents.
  bool normalize_records = false;
  normalize::NormalizeOptions normalize;
  uint64_t max_record_bytes = 64u << 20;
  uint64_t max_document_bytes = 256u << 20;
  uint64_t max_decompressed_bytes = 16ull << 30;  ///< per compressed input, decompressed
  bool speaker_notes = false;  ///< presentations: each slide's speaker notes after the slide
  MediaFileCheck media_files = MediaFileCheck::kCheck;  ///< --media-files
  std::string media_dir;       ///< --media-dir; empty: the folder of the file naming the media

  // Optimisation.
  std::string tokenizer;                    ///< spec for chunking, the example limit and stats
  bool chunk = false;                       ///< split text examples into token-bounded chunks
  chunk::ChunkOptions chunk_options;        ///< --max-tokens, --overlap, --min-tokens...
  DedupMode dedup = DedupMode::kOff;
  dedup::NearDedupOptions near_dedup;       ///< threshold, n-gram, hashes, verification
  bool quality_filter = false;              ///< drop documents failing a Gopher rule
  std::vector<quality::QualityRule> quality_rules = quality::DefaultGopherRules();
  ExampleStepOptions steps;
  uint64_t max_example_tokens = 0;          ///< --max-example-tokens; 0: no limit (needs tokenizer)
  OverlongPolicy on_overlong = OverlongPolicy::kDrop;  ///< --on-overlong

  // Output.
  std::string output_dir;
  std::string output_format = "jsonl";
  format::FormatParams format_params;       ///< --model (and --tokenizer) for chat-template
  bool include_metadata = false;
  std::vector<SplitSpec> splits = {{"train", 1.0}};
  uint64_t max_records_per_file = 0;        ///< 0: one file per split
  OutputLayout layout = OutputLayout::kFlat;  ///< --layout
  uint64_t max_shard_mb = 500;              ///< --max-shard-mb: Parquet shard size (--layout hf)
  parquet::Compression parquet_compression = parquet::Compression::kSnappy;  ///< --parquet-compression
  std::string card_license;                 ///< --card-license: the dataset card's license (--layout hf)
  std::vector<std::string> card_languages;  ///< --card-language: the dataset card's languages (--layout hf)
  size_t pack_seq_len = 0;                  ///< --pack N: also write <split>.packed.jsonl

  // Run.
  bool strict = false;     ///< the first rejected input is fatal
  bool resume = false;     ///< continue an interrupted export in output_dir
  bool overwrite = false;  ///< replace an existing export in output_dir
  int jobs = 0;            ///< worker threads; 0 means one per core
  ShardSpec shard;         ///< --shard I/N: this rank's slice of the inputs, into a part folder
  std::string dedup_plan;  ///< --dedup-plan FILE: a sharded dedup's verdicts (with shard)
  bool dataset_inputs = false;  ///< `convert`: plain files are dataset files (text, markdown,
                                ///< chatml), split by the format matching their extension
  uint32_t checkpoint_interval_ms = 500;  ///< 0: checkpoint after every batch (tests)
  ProgressMode progress = ProgressMode::kAuto;

  // The declared values these options were resolved from (see ExportOptionTable); the
  // canonical options of the manifest are written from them.
  options::OptionValues declared;
  options::CommandMask command = options::kExport;
};

// Returns the declarations of the options of `export` and `convert` (one table: each
// option says which of the two commands take it).
const options::OptionTable& ExportOptionTable();

// Validates declared values into the typed options of `command` (cross-option rules such
// as "max-tokens needs tokenizer" are checked here); loads the example template.
// InvalidArgument errors name the option with OptionRef.
Result<ExportOptions> ResolveExportOptions(options::OptionValues values, options::CommandMask command);

// Returns ResolveExportOptions of a JSON object keyed by the options' JSON names, e.g.
// {"inputs": ["qa.jsonl"], "output": "out", "format": "openai", "max_tokens": 512}.
Result<ExportOptions> ExportOptionsFromJson(std::string_view json_object,
                                            options::CommandMask command = options::kExport);

// Returns the options that decide the output bytes as one canonical JSON object: every
// declared option that decides output, with its default when not given, keyed by JSON name
// and sorted, plus the content hash of every file an option names (the template, the
// decontamination files), so that --resume refuses to continue a run whose options or
// option files differ. Runtime choices (jobs, progress, resume, output) are left out.
Result<std::string> CanonicalOptionsJson(const ExportOptions& options);

}  // namespace tunepack::pipeline
