// DatasetStats: what `tunepack stats` and every export report about a dataset, gathered by a
// StatsCollector one example at a time (constant memory apart from the exact length
// histograms and the per-language and per-reason counters).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/report/example_tokens.h"
#include "tunepack/report/length_histogram.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::report {

// StatsOptions: what to measure beyond the counts that need no configuration.
struct StatsOptions {
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;  ///< null: no token figures
  uint64_t max_tokens = 0;                 ///< context limit for "over the limit"; 0: none
  std::optional<double> price_per_million; ///< training price per million tokens
  // Epochs for the cost estimate; none: OpenAI's default for the number of examples
  // (OpenAiDefaultEpochs).
  std::optional<uint32_t> epochs;
  // The texts were rendered by a chat template (chat-template output): its special tokens
  // are counted as the tokenizer reads them, one token each, not as plain text.
  bool rendered_by_template = false;
  // The generation prompt the chat template leaves after the last assistant turn (see
  // format::Format::dangling_generation_prompt); texts ending with it are counted.
  std::string generation_prompt;
};

// ScoreSummary: count, mean and range of one numeric quality score.
struct ScoreSummary {
  uint64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;

  void Add(double value);
  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

// ExportCounts: the ledger of an export, as its manifest.json reports it.
struct ExportCounts {
  uint64_t inputs = 0;
  uint64_t written = 0;
  uint64_t filtered = 0;  ///< dropped by a filter the export was asked for (dedup, quality...)
  uint64_t rejected = 0;  ///< could not be used
  uint64_t examples_written = 0;
  uint64_t examples_truncated = 0;
  std::map<std::string, uint64_t> filtered_by_reason;
  std::map<std::string, uint64_t> rejected_by_reason;

  // Returns the drops for being an exact or near duplicate of a kept example.
  uint64_t duplicates() const;
};

// Returns the counts in `manifest_json` (the text of an export's manifest.json).
// DataLoss when it is not a tunepack manifest.
Result<ExportCounts> ParseManifestCounts(const std::string& manifest_json);

// ExportFolder: what `tunepack stats DIR` needs from an export's output folder.
struct ExportFolder {
  std::vector<std::string> files;  ///< the data files, as paths under the folder
  std::vector<std::string> splits; ///< the split of each file
  std::string format;              ///< the format they were written in
  std::string tokenizer;           ///< the export's --tokenizer, empty when none
  uint64_t max_tokens = 0;         ///< its --max-example-tokens, else its chunk --max-tokens
  std::string model_dir;           ///< chat-template: its --model
  bool strip_generation_prompt = false;  ///< chat-template: its --strip-generation-prompt
  ExportCounts counts;
};

// Reads `dir`/manifest.json. NotFound when there is none, DataLoss when it is unreadable.
Result<ExportFolder> ReadExportFolder(const std::string& dir);

// FileSummary: one dataset file that went into the statistics.
struct FileSummary {
  std::string path;
  std::string format;     ///< the format it was read as
  uint64_t records = 0;   ///< examples read from it
  uint64_t unreadable = 0;  ///< records that are not valid records of that format
  uint64_t tokens = 0;      ///< tokens of its examples (with a tokenizer)
  std::string split;        ///< for an export's data file: the split it holds
};

// DatasetStats: the statistics of one or more dataset files.
struct DatasetStats {
  std::vector<FileSummary> files;
  uint64_t records = 0;        ///< examples read
  uint64_t texts = 0;          ///< text examples
  uint64_t conversations = 0;  ///< conversation examples
  uint64_t preference_pairs = 0;      ///< preference examples with a chosen and a rejected answer
  uint64_t unpaired_preferences = 0;  ///< preference examples with one answer and a label (KTO)
  uint64_t identical_pairs = 0;       ///< pairs whose chosen and rejected answers are the same
  uint64_t unreadable = 0;     ///< records skipped as unreadable (see FileSummary)
  uint64_t characters = 0;     ///< Unicode code points of text and message contents
  LengthHistogram turns;       ///< messages per conversation

  // Token figures, present only with a tokenizer.
  std::string tokenizer;             ///< its name; empty: no token figures
  LengthHistogram tokens;            ///< tokens per example
  std::map<std::string, uint64_t> tokens_by_role;
  // Preference examples, per side: the prompt, the chosen and the rejected answer (an
  // unpaired example's answer counts on the side its label puts it).
  LengthHistogram prompt_tokens;
  LengthHistogram chosen_tokens;
  LengthHistogram rejected_tokens;
  uint64_t max_tokens = 0;           ///< the context limit asked for; 0: none

  std::map<std::string, uint64_t> languages;  ///< metadata "language" code -> records
  std::map<std::string, ScoreSummary> language_scores;  ///< code -> metadata "language_score"
  std::map<std::string, ScoreSummary> quality;  ///< metadata "quality" field -> scores
  uint64_t quality_records = 0;                 ///< records carrying quality scores

  std::optional<ExportCounts> export_counts;  ///< when the data is an export's output

  // chat-template output whose template leaves a generation prompt after the last turn:
  // the prompt, and the texts that end with it (an empty assistant turn trained on).
  std::string generation_prompt;
  uint64_t texts_with_generation_prompt = 0;

  // OpenAI's fine-tuning arithmetic, as its cookbook's data-preparation notebook
  // (Chat_finetuning_data_prep.ipynb) does it. Conversations missing a system or a user
  // message (the notebook's warnings), and, with a tokenizer, each example's tokens as the
  // service bills them (OpenAiBilling), counted up to billing_cap per example.
  uint64_t missing_system = 0;
  uint64_t missing_user = 0;
  uint64_t billing_cap = 0;           ///< max_tokens, else OpenAI's 16,385 per example
  uint64_t billed_per_epoch = 0;      ///< sum over examples of min(billed, billing_cap)
  uint64_t over_billing_cap = 0;      ///< examples billed for more than billing_cap
  LengthHistogram billed_per_example; ///< billed tokens of each example, uncapped

  std::optional<double> price_per_million;
  uint32_t epochs = 1;           ///< the epochs of the estimate: asked, or OpenAI's default
  bool default_epochs = false;   ///< `epochs` is OpenAI's default for `records` examples

  // Returns the tokens billed for training: billed_per_epoch times epochs.
  uint64_t BilledTokens() const;
  // Returns BilledTokens() / 1e6 * price, or nullopt without a price or token figures.
  std::optional<double> EstimatedCost() const;
};

// OpenAI's per-example limit in the notebook: longer examples are truncated, and billed up
// to it.
inline constexpr uint64_t kOpenAiTokensPerExample = 16385;

// Returns the epochs OpenAI trains `examples` examples for by default (the notebook's rule):
// 3, unless examples x 3 is under 100 (then 100 / examples, at most 25) or over 25,000
// (then 25,000 / examples, at least 1).
uint32_t OpenAiDefaultEpochs(uint64_t examples);

// OpenAiBilling: the tokens OpenAI bills for an example, as the notebook counts a
// conversation: 3 per message, plus its role and content (tool calls as their name and
// arguments), plus 1 and the name's tokens for a named message, plus 3 priming the reply.
// The notebook reads only "messages", so tool schemas are not counted. Other kinds (texts,
// preference data) are billed their tokens. The role names' tokens are counted once.
class OpenAiBilling {
 public:
  static Result<OpenAiBilling> Create(std::shared_ptr<const tokenize::Tokenizer> tokenizer);

  // Returns the billed tokens of `example`, whose content tokens are `tokens`
  // (CountExampleTokens).
  Result<uint64_t> Billed(const Example& example, const ExampleTokens& tokens) const;

 private:
  std::shared_ptr<const tokenize::Tokenizer> tokenizer_;
  std::array<uint64_t, 4> role_tokens_{};  ///< by Role
};

// ExampleScores: the numeric scores one example's metadata carries ("language" with its
// "language_score", "quality"). Kept apart from the rest of ExampleFigures because their
// sums are floating point: they must be added in the order the files are read to give the
// same bits (a writer with several splits defers them, pipeline/export_stats.h).
struct ExampleScores {
  std::string language;                   ///< metadata "language" code; empty: none
  std::optional<double> language_score;   ///< with a language code only
  bool has_quality = false;               ///< metadata "quality" is an object
  std::vector<std::pair<std::string, double>> quality;  ///< its numeric fields, in order
};

// ExampleFigures: what one example adds to DatasetStats, measured on its own (any thread,
// MeasureExample) and added to a collector in order (StatsCollector::AddFigures). Measuring
// and adding are split so that an export measures in its workers, in parallel, and its
// ordered writer only adds.
struct ExampleFigures {
  ExampleKind kind = ExampleKind::kText;
  bool ends_with_generation_prompt = false;
  uint64_t characters = 0;
  uint64_t turns = 0;           ///< conversation: its messages
  bool missing_system = false;  ///< conversation without a system message
  bool missing_user = false;    ///< conversation without a user message
  bool identical_pair = false;  ///< preference: chosen == rejected
  bool has_chosen = false;
  bool has_rejected = false;
  std::optional<ExampleTokens> tokens;  ///< with a tokenizer
  std::optional<uint64_t> billed;       ///< with a tokenizer: what OpenAI bills (OpenAiBilling)
  ExampleScores scores;
};

// Returns the figures of `example` under `options`, billed by `billing` (made from the
// options' tokenizer when null: pass one to measure many). Thread-safe (the tokenizer and
// `billing` are shared read-only). Errors only when the tokenizer fails.
Result<ExampleFigures> MeasureExample(const StatsOptions& options, const Example& example,
                                      const OpenAiBilling* billing = nullptr);

// StatsCollector: accumulates DatasetStats one example at a time.
//
// Example:
//   StatsCollector collector(options);
//   collector.BeginFile("train.jsonl", "openai");
//   for (const Example& e : examples) TP_RETURN_IF_ERROR(collector.Add(e));
//   DatasetStats stats = std::move(collector).Finish();
class StatsCollector {
 public:
  explicit StatsCollector(StatsOptions options);

  // Starts the summary of a new file; later Add/AddUnreadable calls count towards it.
  void BeginFile(std::string path, std::string format);
  // Sets the format of the file begun last (known only once its first record is read).
  void NameLastFileFormat(std::string format);
  // Makes later Add/AddUnreadable calls count towards the summary of file `index` (in the
  // order BeginFile opened them) instead of the one begun last.
  void SelectFile(size_t index) { current_file_ = index; }
  // Counts one example. Errors only when the tokenizer fails.
  Status Add(const Example& example);
  // Counts one example measured by MeasureExample (with this collector's options).
  void AddFigures(const ExampleFigures& figures);
  // Adds the scores of one example (AddFigures does; a caller that defers an example's
  // scores adds its figures with empty scores, then these).
  void AddScores(const ExampleScores& scores);
  // Counts one record that could not be read.
  void AddUnreadable();
  // Attaches the ledger of the export the files come from.
  void SetExportCounts(ExportCounts counts) { stats_.export_counts = std::move(counts); }

  // Returns the statistics.
  DatasetStats Finish() &&;

 private:
  FileSummary* current_file();

  StatsOptions options_;
  std::optional<OpenAiBilling> billing_;  ///< with a tokenizer
  DatasetStats stats_;
  size_t current_file_ = 0;
};

}  // namespace tunepack::report
