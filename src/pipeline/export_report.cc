#include "pipeline/export_report.h"

#include "tunepack/io/file.h"
#include "tunepack/report/file_stats.h"
#include "tunepack/report/html_report.h"
#include "tunepack/report/stats_json.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

report::StatsOptions ExportStatsOptions(const ExportOptions& options, const format::Format& output_format,
                                        std::shared_ptr<const tokenize::Tokenizer> tokenizer) {
  report::StatsOptions stats_options;
  if (tokenizer != nullptr) {
    stats_options.tokenizer = std::move(tokenizer);
    stats_options.max_tokens = options.max_example_tokens > 0 ? options.max_example_tokens
                               : options.chunk               ? options.chunk_options.max_tokens
                                                             : 0;
  }
  // A write-only format's texts were rendered by a template, special tokens included.
  stats_options.rendered_by_template = !output_format.read_as.empty();
  stats_options.generation_prompt = output_format.dangling_generation_prompt;
  return stats_options;
}

std::vector<io::FileContents> ExportReportFiles(const std::string& dir, report::DatasetStats stats,
                                               const std::vector<OutputFileSummary>& files) {
  // Name the files as the manifest does, relative to the folder: the same export written to
  // another folder must give the same bytes.
  for (size_t i = 0; i < stats.files.size() && i < files.size(); ++i) {
    stats.files[i].path = files[i].path;
    stats.files[i].split = files[i].split;
  }
  return {{dir + "/" + kStatsFile, report::StatsJson(stats)}, {dir + "/" + kReportFile, report::HtmlReport(stats)}};
}

Status WriteExportReport(const ExportOptions& options, const std::string& dir,
                         const format::Format& output_format,
                         std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                         const std::vector<OutputFileSummary>& files,
                         const std::string& manifest_json, uint64_t* texts_with_generation_prompt) {
  const report::StatsOptions stats_options = ExportStatsOptions(options, output_format, std::move(tokenizer));
  std::vector<std::string> paths;
  for (const OutputFileSummary& file : files) paths.push_back(dir + "/" + file.path);
  TP_ASSIGN_OR_RETURN(report::ExportCounts counts, report::ParseManifestCounts(manifest_json));
  // A write-only format (chat-template) is read back as the format it names in read_as.
  TP_ASSIGN_OR_RETURN(const format::Format* read_format, format::ReadBackFormat(output_format, paths));
  TP_ASSIGN_OR_RETURN(report::DatasetStats stats,
                      report::ComputeFileStats(paths, read_format, stats_options, counts));
  if (texts_with_generation_prompt != nullptr) *texts_with_generation_prompt = stats.texts_with_generation_prompt;
  return io::WriteFilesAtomic(ExportReportFiles(dir, std::move(stats), files));
}

}  // namespace tunepack::pipeline
