#include "pipeline/split_stages.h"

#include <filesystem>

#include "pipeline/file_hash.h"
#include "pipeline/hf_layout.h"
#include "pipeline/target_outputs.h"
#include "tunepack/pipeline/pack.h"

namespace tunepack::pipeline {
namespace {

// --pack: each split's files into <split>.packed.jsonl.
Result<std::vector<PackedOutput>> PackSplits(const ExportOptions& options, const std::string& dir,
                                             std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                             const std::vector<OutputFileSummary>& files) {
  PackOptions pack;
  pack.tokenizer = std::move(tokenizer);
  pack.seq_len = options.pack_seq_len;
  std::vector<PackedOutput> packed;
  for (const SplitSpec& split : options.splits) {
    std::vector<std::string> inputs;
    for (const OutputFileSummary& file : files) {
      if (file.split == split.name) inputs.push_back(dir + "/" + file.path);
    }
    PackedOutput out;
    out.path = split.name + ".packed.jsonl";
    out.split = split.name;
    TP_ASSIGN_OR_RETURN(out.summary, PackJsonlFiles(inputs, pack, dir + "/" + out.path));
    TP_ASSIGN_OR_RETURN(out.hash, HashFile(dir + "/" + out.path));
    packed.push_back(std::move(out));
  }
  return packed;
}

}  // namespace

Result<SplitStagesResult> RunSplitStages(const ExportOptions& options, const std::string& staging,
                                         std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                         const std::string& options_json, const format::Format& output_format,
                                         bool slice, ExportStats* stats, RunState& state, ManifestData& manifest,
                                         const std::function<void(std::string_view)>& stage) {
  SplitStagesResult result;
  if (options.pack_seq_len > 0 && !slice) {
    stage("pack");
    TP_ASSIGN_OR_RETURN(manifest.packed, PackSplits(options, staging, tokenizer, state.files));
  }
  if (options.layout == OutputLayout::kHf && !slice) {
    stage("hf-layout");
    result.replaced = state.files;
    TP_ASSIGN_OR_RETURN(state.files, WriteHfLayout(options, staging, result.replaced, state, options_json,
                                                   output_format, tokenizer, stats));
    manifest.dataset_card = kDatasetCardFile;
    TP_ASSIGN_OR_RETURN(manifest.dataset_card_hash, HashFile(staging + "/" + kDatasetCardFile));
  }
  // --target: its companion file (LLaMA-Factory's dataset_info.json) and its file limits.
  TP_ASSIGN_OR_RETURN(manifest.target_file, WriteTargetCompanion(options, staging, state.files));
  if (!manifest.target_file.empty()) {
    TP_ASSIGN_OR_RETURN(manifest.target_file_hash, HashFile(staging + "/" + manifest.target_file));
  }
  result.target_warnings = CheckTargetOutputs(options, state.files);
  return result;
}

void RemoveReplacedFiles(const std::string& staging, const std::vector<OutputFileSummary>& files) {
  for (const OutputFileSummary& file : files) {
    std::error_code ignored;
    std::filesystem::remove(staging + "/" + file.path, ignored);
  }
}

}  // namespace tunepack::pipeline
