#include "pipeline/target_outputs.h"

#include <filesystem>

#include "tunepack/core/option_ref.h"
#include "tunepack/format/target.h"
#include "tunepack/io/file.h"

namespace tunepack::pipeline {

std::vector<std::string> CheckTargetOutputs(const ExportOptions& options, const std::vector<OutputFileSummary>& files) {
  std::vector<std::string> warnings;
  if (options.format_params.target.empty()) return warnings;
  Result<const format::Target*> target = format::FindTarget(options.format_params.target);
  if (!target.has_value()) return warnings;  // resolved when the options were; cannot fail here
  for (const OutputFileSummary& file : files) {
    for (std::string& problem : format::CheckTargetFile(**target, file.records, file.bytes)) {
      warnings.push_back(file.path + ": " + problem);
    }
  }
  return warnings;
}

Status CheckTargetLayout(const ExportOptions& options) {
  if (options.format_params.target.empty() || options.layout == OutputLayout::kFlat) return Status::Ok();
  TP_ASSIGN_OR_RETURN(const format::Target* target, format::FindTarget(options.format_params.target));
  if (!target->companion) return Status::Ok();
  return InvalidArgumentError(OptionRef("target") + " " + target->name + " writes " + target->companion_file +
                              " describing JSONL files: use " + OptionRef("layout") + " flat with it");
}

Result<std::string> WriteTargetCompanion(const ExportOptions& options, const std::string& staging,
                                         const std::vector<OutputFileSummary>& files) {
  if (options.format_params.target.empty()) return std::string();
  TP_ASSIGN_OR_RETURN(const format::Target* target, format::FindTarget(options.format_params.target));
  if (!target->companion) return std::string();
  std::vector<format::TargetFile> written;
  for (const OutputFileSummary& file : files) {
    written.push_back({staging + "/" + file.path, file.path, file.split, options.output_format});
  }
  // The dataset is named after the output folder, as a user would name it in LLaMA-Factory.
  std::string name = std::filesystem::path(options.output_dir).lexically_normal().filename().string();
  if (name.empty() || name == "." || name == "..") name = "dataset";
  TP_ASSIGN_OR_RETURN(std::string text, target->companion(name, written));
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(staging + "/" + target->companion_file, text));
  return target->companion_file;
}

}  // namespace tunepack::pipeline
