// WriteExportReport: stats.json and report.html for a finished export, computed by reading
// back the data files it wrote (so they describe the output exactly) plus the ledger of the
// manifest about to be written. An export measures the same figures while it writes
// (export_stats.h) and reads back only what it cannot measure so; the merge of a sharded
// export reads back. Deterministic: file paths are relative to the output folder
// and nothing depends on the time or the machine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/report/dataset_stats.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

inline constexpr const char* kStatsFile = "stats.json";
inline constexpr const char* kReportFile = "report.html";

// Returns the StatsOptions of an export: its tokenizer (null: no token figures), its token
// limit, and what its output format says of the texts (rendered by a template, generation
// prompt).
report::StatsOptions ExportStatsOptions(const ExportOptions& options, const format::Format& output_format,
                                        std::shared_ptr<const tokenize::Tokenizer> tokenizer);

// Returns stats.json and report.html of `stats`, to be written into `dir`, naming each data file
// as `files` do (relative to the folder: the same export written to another folder gives the
// same bytes). `stats.files` must follow `files`.
std::vector<io::FileContents> ExportReportFiles(const std::string& dir, report::DatasetStats stats,
                                               const std::vector<OutputFileSummary>& files);

// Writes stats.json and report.html into `dir` (the export's staging folder), reading the
// data files `files` there. Token figures need the export's `tokenizer`; when it is null
// they are omitted and the report says so. `texts_with_generation_prompt`, when given,
// receives how many texts end with the chat template's left-over generation prompt
// (format::Format::dangling_generation_prompt).
Status WriteExportReport(const ExportOptions& options, const std::string& dir,
                         const format::Format& output_format,
                         std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                         const std::vector<OutputFileSummary>& files,
                         const std::string& manifest_json,
                         uint64_t* texts_with_generation_prompt = nullptr);

}  // namespace tunepack::pipeline
