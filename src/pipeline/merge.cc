// MergeParts: joins the part folders of a sharded export into the export folder one process
// would have written. The parts hold contiguous slices of the inputs in rank order, so
// their data files and ledgers concatenated in rank order are the single-machine ones; the
// manifest is rebuilt from the parts' manifests by the same ManifestJson, and stats.json and
// report.html are computed from the merged files as an export computes them.
#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

#include "pipeline/export_report.h"
#include "pipeline/file_hash.h"
#include "pipeline/output_folder.h"
#include "pipeline/output_set.h"
#include "pipeline/part_set.h"
#include "pipeline/run_state.h"
#include "pipeline/split_stages.h"
#include "pipeline/target_outputs.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/pipeline/shard.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {
namespace {

using nlohmann::ordered_json;

// Streams the part file `path` to `consume` in blocks and checks it against the hash its
// part's manifest lists, so a damaged or edited part is refused, not merged.
Status ReadPartFile(const std::string& path, const std::string& expected_hex,
                    const std::function<Status(std::string_view block)>& consume) {
  TP_ASSIGN_OR_RETURN(Hash128 hash, HashFile(path, consume));
  if (hash.Hex() != expected_hex) {
    return DataLossError(io::DisplayPath(path) + " differs from what its part's manifest.json lists (xxh3_128 " +
                         expected_hex + "); run that rank again with " + OptionRef("overwrite"));
  }
  return Status::Ok();
}

// The data files of `split` a part's manifest lists, in order.
std::vector<ordered_json> PartFilesOf(const LoadedPart& part, const std::string& split) {
  std::vector<ordered_json> files;
  for (const ordered_json& file : part.manifest.at("outputs")) {
    if (file.at("split").get<std::string>() == split) files.push_back(file);
  }
  return files;
}

// One file per split: the parts' files joined, the format's separator between two records.
Result<OutputFileSummary> ConcatenateSplit(const PartSet& set, const std::string& split,
                                           const format::Format& format, const std::string& staging) {
  OutputFileSummary summary{split + format.extension, split, 0, 0};
  TP_ASSIGN_OR_RETURN(auto out, io::AppendFile::Open(staging + "/" + summary.path));
  for (const LoadedPart& part : set.parts) {
    for (const ordered_json& file : PartFilesOf(part, split)) {
      const uint64_t records = file.at("records").get<uint64_t>();
      if (records == 0) continue;
      if (summary.records > 0 && !format.separator.empty()) TP_RETURN_IF_ERROR(out->Write(format.separator));
      TP_RETURN_IF_ERROR(ReadPartFile(part.dir + "/" + file.at("path").get<std::string>(),
                                      file.at("xxh3_128").get<std::string>(),
                                      [&](std::string_view block) { return out->Write(block); }));
      summary.records += records;
    }
  }
  TP_RETURN_IF_ERROR(out->Sync());
  TP_RETURN_IF_ERROR(out->Close());
  summary.bytes = out->size();
  return summary;
}

// --max-records-per-file: the records of every part (JSON Lines: one a line) written again
// through the export's OutputSet, so the files are cut where one process cuts them.
Status RecutSplit(const PartSet& set, size_t split_index, const std::string& split, OutputSet& outputs) {
  std::string pending;
  for (const LoadedPart& part : set.parts) {
    for (const ordered_json& file : PartFilesOf(part, split)) {
      const std::string path = part.dir + "/" + file.at("path").get<std::string>();
      TP_RETURN_IF_ERROR(ReadPartFile(path, file.at("xxh3_128").get<std::string>(), [&](std::string_view block) {
        size_t start = 0;
        while (start < block.size()) {
          const size_t newline = block.find('\n', start);
          if (newline == std::string_view::npos) {
            pending.append(block.substr(start));
            break;
          }
          if (pending.empty()) {
            TP_RETURN_IF_ERROR(outputs.Write(split_index, block.substr(start, newline + 1 - start)));
          } else {
            pending.append(block.substr(start, newline + 1 - start));
            TP_RETURN_IF_ERROR(outputs.Write(split_index, pending));
            pending.clear();
          }
          start = newline + 1;
        }
        return Status::Ok();
      }));
      if (!pending.empty()) return DataLossError(io::DisplayPath(path) + " does not end with a newline");
    }
  }
  return Status::Ok();
}

// The warnings a part's --target checks gave on its own data files, which end its manifest's
// warnings: the merge checks the merged files instead, as one process checks its files.
std::vector<std::string> PartTargetWarnings(const ExportOptions& options, const LoadedPart& part) {
  std::vector<OutputFileSummary> files;
  for (const ordered_json& file : part.manifest.at("outputs")) {
    files.push_back({file.at("path").get<std::string>(), file.at("split").get<std::string>(),
                     file.at("records").get<uint64_t>(), file.at("bytes").get<uint64_t>()});
  }
  return CheckTargetOutputs(options, files);
}

// Adds the counts of a part's manifest to `state`, and its inputs to `state` and `data`.
Status AddPartCounts(const ExportOptions& options, const LoadedPart& part, RunState& state, ManifestData& data) {
  try {
    const ordered_json& counts = part.manifest.at("counts");
    state.inputs += counts.at("inputs").get<uint64_t>();
    state.written += counts.at("written").get<uint64_t>();
    state.filtered += counts.at("filtered").get<uint64_t>();
    state.rejected += counts.at("rejected").get<uint64_t>();
    state.examples_written += counts.at("examples_written").get<uint64_t>();
    state.examples_rejected += counts.at("examples_rejected").get<uint64_t>();
    state.examples_truncated += counts.at("examples_truncated").get<uint64_t>();
    state.invalid_utf8 += counts.at("invalid_utf8_sequences").get<uint64_t>();
    for (const auto& [reason, count] : counts.at("filtered_by_reason").items()) {
      state.filtered_by_reason[reason] += count.get<uint64_t>();
    }
    for (const auto& [reason, count] : counts.at("rejected_by_reason").items()) {
      state.rejected_by_reason[reason] += count.get<uint64_t>();
    }
    if (counts.contains("pii_redacted")) {
      for (const auto& [kind, count] : counts.at("pii_redacted").items()) {
        state.pii_redacted[kind] += count.get<uint64_t>();
      }
    }
    // A part that starts inside a file (a rank boundary cut it) continues the previous
    // part's last input: one input of the merged manifest, its counts summed; its bytes and
    // hash are those of the later part, which read further (the last, the whole file).
    bool continues = part.marker.slice.begin.offset > 0;
    for (const ordered_json& input : part.manifest.at("inputs")) {
      if (continues) {
        continues = false;
        if (data.sources.empty() || data.sources.back().path != input.at("path").get<std::string>()) {
          return DataLossError(io::DisplayPath(part.dir + "/" + kManifestFile) +
                               " does not continue the input the previous part ends with");
        }
        SourceInfo& info = data.sources.back();
        info.type = input.at("type").get<std::string>();
        info.bytes = input.at("bytes").get<uint64_t>();
        info.hash = ParseHash(input.at("xxh3_128").get<std::string>());
        SourceCounts& source = state.sources.back();
        source.units += input.at("units").get<uint64_t>();
        source.written += input.at("written").get<uint64_t>();
        source.filtered += input.at("filtered").get<uint64_t>();
        source.rejected += input.at("rejected").get<uint64_t>();
        continue;
      }
      SourceInfo info;
      info.path = input.at("path").get<std::string>();
      info.path_hex = input.value("path_hex", std::string());
      info.type = input.at("type").get<std::string>();
      info.bytes = input.at("bytes").get<uint64_t>();
      info.hash = ParseHash(input.at("xxh3_128").get<std::string>());
      data.sources.push_back(std::move(info));
      SourceCounts source;
      source.units = input.at("units").get<uint64_t>();
      source.written = input.at("written").get<uint64_t>();
      source.filtered = input.at("filtered").get<uint64_t>();
      source.rejected = input.at("rejected").get<uint64_t>();
      state.sources.push_back(std::move(source));
    }
    const auto warnings = part.manifest.at("warnings").get<std::vector<std::string>>();
    // The walk's warnings open every part's list alike: once, from the first part.
    const size_t skip =
        part.marker.shard.index == 0 ? 0 : std::min<size_t>(part.marker.walk_warnings, warnings.size());
    size_t end = warnings.size();
    const std::vector<std::string> target_warnings = PartTargetWarnings(options, part);
    if (target_warnings.size() <= end - skip &&
        std::equal(target_warnings.begin(), target_warnings.end(), warnings.end() - static_cast<ptrdiff_t>(target_warnings.size()))) {
      end -= target_warnings.size();
    }
    data.warnings.insert(data.warnings.end(), warnings.begin() + static_cast<ptrdiff_t>(skip),
                         warnings.begin() + static_cast<ptrdiff_t>(end));
    if (state.first_rejection.empty()) state.first_rejection = part.marker.first_rejection;
    return Status::Ok();
  } catch (const ordered_json::exception& e) {
    return DataLossError(io::DisplayPath(part.dir + "/" + kManifestFile) + " is damaged (" + e.what() + ")");
  }
}

Status CheckOutputApart(const MergeOptions& options, const OutputFolder& folder) {
  for (const std::string& dir : options.parts) {
    TP_ASSIGN_OR_RETURN(std::string real, io::RealPath(dir));
    if (io::IsWithin(real, folder.real_path()) || io::IsWithin(folder.real_path(), real)) {
      return InvalidArgumentError("merge: the output folder " + io::DisplayPath(options.output_dir) +
                                  " and the part folder " + io::DisplayPath(dir) +
                                  " overlap; write the merged export to a folder of its own");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<MergeSummary> MergeParts(const MergeOptions& merge) {
  if (merge.output_dir.empty()) return InvalidArgumentError("merge: no output folder: pass -o DIR");
  TP_ASSIGN_OR_RETURN(const PartSet set, LoadPartSet(merge.parts));
  if (IsSignatureStage(set.parts.front().marker.options_json)) {
    return FailedPreconditionError(
        "merge: " + io::DisplayPath(set.parts.front().dir) + " holds the first stage of a sharded " + OptionRef("dedup") +
        " (signatures): run `tunepack dedup-plan` on these parts, then every rank again with " +
        OptionRef("dedup-plan") + " into new part folders, and merge those (see docs/scale-out.md)");
  }
  TP_ASSIGN_OR_RETURN(const ExportOptions options, ResolveRunOptions(set, merge.output_dir));
  TP_ASSIGN_OR_RETURN(std::shared_ptr<const format::Format> format,
                      format::BindFormat(options.output_format, options.format_params));
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;
  if (!options.tokenizer.empty()) {
    TP_ASSIGN_OR_RETURN(tokenizer, tokenize::LoadTokenizer(options.tokenizer));
  }

  TP_ASSIGN_OR_RETURN(OutputFolder folder, OutputFolder::Open(merge.output_dir));
  TP_RETURN_IF_ERROR(CheckOutputApart(merge, folder));
  TP_RETURN_IF_ERROR(folder.Prepare(/*resume=*/false, merge.overwrite, set.options_json).error());
  const std::string staging = folder.staging();

  RunState state;
  ManifestData data;
  data.options_json = set.options_json;
  for (const LoadedPart& part : set.parts) TP_RETURN_IF_ERROR(AddPartCounts(options, part, state, data));
  data.near_dedup_lsh = set.parts.front().manifest.value("near_dedup_lsh", std::string());

  if (options.max_records_per_file == 0) {
    for (const SplitSpec& split : options.splits) {
      TP_ASSIGN_OR_RETURN(OutputFileSummary file, ConcatenateSplit(set, split.name, *format, staging));
      state.files.push_back(std::move(file));
    }
  } else {
    if (!format->separator.empty()) {
      return InvalidArgumentError("merge: " + OptionRef("max-records-per-file") + " needs a JSON Lines format");
    }
    OutputSet outputs(staging, options.splits, *format, options.max_records_per_file);
    TP_RETURN_IF_ERROR(outputs.Open(nullptr));
    for (size_t i = 0; i < options.splits.size(); ++i) {
      TP_RETURN_IF_ERROR(RecutSplit(set, i, options.splits[i].name, outputs));
    }
    TP_RETURN_IF_ERROR(outputs.Close());
    state.files = outputs.Files();
  }

  {
    TP_ASSIGN_OR_RETURN(auto ledger, io::AppendFile::Open(staging + "/" + kRejectedFile));
    for (const LoadedPart& part : set.parts) {
      const std::string expected = part.manifest.at("rejected").at("xxh3_128").get<std::string>();
      TP_RETURN_IF_ERROR(ReadPartFile(part.dir + "/" + kRejectedFile, expected,
                                      [&](std::string_view block) { return ledger->Write(block); }));
    }
    TP_RETURN_IF_ERROR(ledger->Sync());
    TP_RETURN_IF_ERROR(ledger->Close());
    state.rejected_file_bytes = ledger->size();
  }
  TP_ASSIGN_OR_RETURN(data.rejected_hash, HashFile(staging + "/" + kRejectedFile));
  // The stages that take all of a split run here, on the merged files, as the export runs
  // them after writing its own.
  TP_ASSIGN_OR_RETURN(SplitStagesResult split_stages,
                      RunSplitStages(options, staging, tokenizer, set.options_json, *format, /*slice=*/false,
                                     /*stats=*/nullptr, state, data, [](std::string_view) {}));
  for (const OutputFileSummary& file : state.files) {
    TP_ASSIGN_OR_RETURN(Hash128 hash, HashFile(staging + "/" + file.path));
    data.outputs.emplace_back(file, hash);
  }
  data.warnings.insert(data.warnings.end(), split_stages.target_warnings.begin(), split_stages.target_warnings.end());

  const std::string manifest_json = ManifestJson(state, data);
  TP_RETURN_IF_ERROR(WriteExportReport(options, staging, *format, tokenizer, state.files, manifest_json));
  RemoveReplacedFiles(staging, split_stages.replaced);
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(staging + "/" + kManifestFile, manifest_json));
  TP_RETURN_IF_ERROR(folder.Publish());

  MergeSummary summary;
  summary.parts = static_cast<uint32_t>(set.parts.size());
  summary.inputs = state.inputs;
  summary.written = state.written;
  summary.filtered = state.filtered;
  summary.rejected = state.rejected;
  summary.examples_written = state.examples_written;
  for (const OutputFileSummary& file : state.files) summary.outputs.emplace_back(file.path, file.records);
  return summary;
}

}  // namespace tunepack::pipeline
