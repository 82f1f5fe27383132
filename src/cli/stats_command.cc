// `tunepack stats FILE...`: statistics of dataset files (or of an export folder), as a
// summary on stdout, as JSON (--json), and as a self-contained HTML report (--html).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/diagnostics.h"
#include "cli/exit_codes.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"
#include "tunepack/report/file_stats.h"
#include "tunepack/report/html_report.h"
#include "tunepack/report/stats_json.h"
#include "tunepack/report/stats_text.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::cli {
namespace {

struct StatsFlags {
  std::vector<std::string> files;
  std::string format;
  std::string tokenizer;
  uint64_t max_tokens = 0;
  std::optional<double> price_per_million;
  std::optional<uint32_t> epochs;  ///< none: OpenAI's default for the number of examples
  std::string html;
  bool json = false;
  std::string model_dir;  ///< chat-template output: the model whose template rendered it
};

int RunStats(StatsFlags flags) {
  // An export folder stands for its data files, read in the format they were written in,
  // plus the ledger from its manifest, and counts tokens as the export did unless told
  // otherwise.
  std::vector<std::string> files;
  std::optional<report::ExportCounts> counts;
  std::string folder_format;
  std::string folder_model;  ///< chat-template export: its --model, as the manifest names it
  std::vector<std::string> splits;
  for (const std::string& path : flags.files) {
    if (!std::filesystem::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    if (flags.files.size() > 1) {
      return Fail(InvalidArgumentError(path + ": pass one export folder on its own, or files"));
    }
    auto folder = report::ReadExportFolder(path);
    if (!folder.has_value()) return Fail(folder.error());
    files = folder->files;
    counts = folder->counts;
    folder_format = folder->format;
    splits = folder->splits;
    if (flags.model_dir.empty() && !folder->strip_generation_prompt) {
      folder_model = folder->model_dir;
    }
    if (flags.tokenizer.empty()) {
      flags.tokenizer = folder->tokenizer;
      if (flags.max_tokens == 0) flags.max_tokens = folder->max_tokens;
    }
  }
  report::StatsOptions options;
  if (!flags.tokenizer.empty()) {
    auto tokenizer = tokenize::LoadTokenizer(flags.tokenizer);
    if (!tokenizer.has_value()) return Fail(tokenizer.error());
    options.tokenizer = *tokenizer;
  } else if (flags.max_tokens > 0 || flags.price_per_million) {
    return Fail(InvalidArgumentError("--max-tokens and --price-per-million need --tokenizer"));
  }
  if (flags.epochs == 0u) return Fail(InvalidArgumentError("--epochs must be at least 1"));
  if (flags.price_per_million && !(*flags.price_per_million >= 0)) {
    return Fail(InvalidArgumentError("--price-per-million must be a number >= 0"));
  }
  options.max_tokens = flags.max_tokens;
  options.price_per_million = flags.price_per_million;
  options.epochs = flags.epochs;

  const format::Format* forced = nullptr;
  const std::string& format_name = flags.format.empty() ? folder_format : flags.format;
  if (!format_name.empty()) {
    auto found = format::FindFormat(format_name);
    if (!found.has_value()) return Fail(found.error());
    forced = *found;
    // A write-only format (chat-template) is read back as the format it names, and its texts
    // were rendered by a template: their special tokens count as the tokenizer reads them.
    if (!forced->read_as.empty()) {
      auto read_as = format::ReadBackFormat(*forced, files);
      if (!read_as.has_value()) return Fail(read_as.error());
      forced = *read_as;
      options.rendered_by_template = true;
    }
  }
  if (!flags.model_dir.empty()) {
    // The texts were rendered by this model's template: count those it left ending with
    // its generation prompt (an empty assistant turn).
    format::FormatParams params;
    params.model_dir = flags.model_dir;
    auto bound = format::BindFormat("chat-template", params);
    if (!bound.has_value()) return Fail(bound.error());
    options.generation_prompt = (*bound)->dangling_generation_prompt;
  } else if (!folder_model.empty()) {
    // The export's own model, as its manifest names it: it may not be reachable from here
    // (a relative path, another machine), and the rest of the statistics do not need it.
    format::FormatParams params;
    params.model_dir = folder_model;
    auto bound = format::BindFormat("chat-template", params);
    if (bound.has_value()) {
      options.generation_prompt = (*bound)->dangling_generation_prompt;
    } else {
      PrintWarning("the export's --model " + folder_model + " cannot be loaded from here (" +
                   bound.error().message() + "); texts ending with its generation prompt are "
                   "not counted (pass --model DIR)");
    }
  }
  auto stats = report::ComputeFileStats(files, forced, options, counts);
  if (!stats.has_value()) return Fail(stats.error());
  for (size_t i = 0; i < splits.size() && i < stats->files.size(); ++i) stats->files[i].split = splits[i];
  if (!flags.html.empty()) {
    Status written = io::WriteFileAtomic(flags.html, report::HtmlReport(*stats));
    if (!written.ok()) return Fail(written);
  }
  const std::string out = flags.json ? report::StatsJson(*stats) : report::StatsText(*stats);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (stats->unreadable > 0) {
    PrintWarning(std::to_string(stats->unreadable) +
                 " record(s) are not valid records of their format and were skipped "
                 "(`tunepack validate` names them)");
    return kExitRejected;
  }
  return kExitOk;
}

}  // namespace

void RegisterStatsCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App* sub = app.add_subcommand(
      "stats", "Statistics of dataset files or an export folder: records, tokens per role, "
               "length percentiles, turns, languages, rejections, training cost");
  sub->add_option("files", flags->files,
                  "Dataset files in any supported format, or one export folder (its tokenizer "
                  "and limit are used unless --tokenizer is given)")->required();
  sub->add_option("--format", flags->format, "Read the files as this format (default: detected)");
  sub->add_option("--tokenizer", flags->tokenizer,
                  "Count tokens with this tokenizer (a built-in name or a path)");
  sub->add_option("--max-tokens", flags->max_tokens,
                  "Context limit: report the examples over it and bill tokens up to it");
  sub->add_option("--price-per-million", flags->price_per_million,
                  "Training price per million tokens, for the cost estimate");
  sub->add_option("--epochs", flags->epochs,
                  "Epochs for the cost estimate (default: OpenAI's default for the number of examples: 3, "
                  "adjusted so that examples x epochs is within 100..25,000, epochs 1..25)");
  sub->add_option("--html", flags->html, "Also write the report as a self-contained HTML file");
  sub->add_option("--model", flags->model_dir,
                  "chat-template output: the model folder whose template rendered it; texts "
                  "ending with the generation prompt it leaves after the last turn are counted");
  sub->add_flag("--json", flags->json, "Print stats.json instead of the summary");
  sub->footer("Token counts are the contents' tokens (text, message contents, tool calls, tool "
              "schemas), without chat-template overhead; billed tokens add OpenAI's per-message and "
              "reply overhead to conversations, as its data-preparation notebook counts them. Exit codes: 0 success; 1 computed, but "
              "some records were unreadable and skipped; 2 usage error or unreadable file.");
  sub->callback([flags, &context] { context.exit_code = RunStats(*flags); });
}

}  // namespace tunepack::cli
