#include "pipeline/part_set.h"

#include <algorithm>

#include "tunepack/core/option_ref.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {
namespace {

Result<LoadedPart> LoadPart(const std::string& dir) {
  TP_ASSIGN_OR_RETURN(std::optional<PartMarker> marker, ReadPartMarker(dir));
  if (!marker) {
    return FailedPreconditionError(io::DisplayPath(dir) + " has no " + kPartMarkerFile +
                                   ": its rank has not finished (run it again; a killed rank continues with " +
                                   OptionRef("resume") + ")");
  }
  const std::string manifest_path = dir + "/" + kManifestFile;
  TP_ASSIGN_OR_RETURN(std::string manifest_text, io::ReadWholeFile(manifest_path, io::kMaxConfigFileBytes));
  if (HashBytes(manifest_text) != marker->manifest_hash) {
    return DataLossError(io::DisplayPath(manifest_path) + " changed after its rank finished; run the rank again with " +
                         OptionRef("overwrite"));
  }
  LoadedPart part{dir, std::move(*marker), nlohmann::ordered_json::parse(manifest_text, nullptr, false)};
  if (part.manifest.is_discarded() || !part.manifest.is_object()) {
    return DataLossError(io::DisplayPath(manifest_path) + " is unreadable");
  }
  return part;
}

}  // namespace

std::string DedupPlanHash(const std::string& options_json) {
  const nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  if (!options.is_object() || !options.contains("dedup_plan")) return "";
  return options["dedup_plan"].get<std::string>();
}

bool IsSignatureStage(const std::string& options_json) {
  const nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  return options.is_object() && options.value("dedup", std::string("off")) != "off" &&
         !options.contains("dedup_plan");
}

Result<ExportOptions> ResolveRunOptions(const PartSet& set, const std::string& output_dir) {
  nlohmann::json json = nlohmann::json::parse(set.options_json, nullptr, false);
  if (!json.is_object()) return DataLossError("the parts' options are unreadable");
  json.erase("file_hashes");  // not an option: the content hashes of the files options name
  json["output"] = output_dir;
  // The canonical options hold every value, --format's default too; with --target, that
  // default stands for a format left out, which the target then picks (given, it would
  // conflict with the target, as it did not for the ranks).
  const options::OptionSpec* format = ExportOptionTable().Find("format", options::kExport);
  if (json.value("target", std::string()) != "" && format != nullptr && json.contains("format") &&
      json["format"] == nlohmann::json::parse(format->default_json, nullptr, false)) {
    json.erase("format");
  }
  return ExportOptionsFromJson(json.dump(), options::kExport);
}

std::string UnshardedOptionsJson(const std::string& options_json) {
  // Parsed and dumped as CanonicalOptionsJson dumps it (keys sorted), so the text is the
  // one an unsharded run writes.
  nlohmann::json options = nlohmann::json::parse(options_json, nullptr, false);
  if (!options.is_object()) return options_json;
  options.erase("shard");
  options.erase("dedup_plan");
  return io::JsonTextWithSafeUtf8(options.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Result<PartSet> LoadPartSet(const std::vector<std::string>& dirs) {
  if (dirs.empty()) return InvalidArgumentError("merge: no part folders given");
  PartSet set;
  for (const std::string& dir : dirs) {
    TP_ASSIGN_OR_RETURN(LoadedPart part, LoadPart(dir));
    set.parts.push_back(std::move(part));
  }
  std::sort(set.parts.begin(), set.parts.end(),
            [](const LoadedPart& a, const LoadedPart& b) { return a.marker.shard.index < b.marker.shard.index; });
  const LoadedPart& first = set.parts.front();
  const uint32_t count = first.marker.shard.count;
  set.options_json = UnshardedOptionsJson(first.marker.options_json);
  for (const LoadedPart& part : set.parts) {
    const PartMarker& m = part.marker;
    auto differs = [&](const std::string& what) {
      return FailedPreconditionError(io::DisplayPath(part.dir) + " and " + io::DisplayPath(first.dir) +
                                     " are parts of different exports (" + what + "); merge the parts of one run");
    };
    if (m.shard.count != count) {
      return differs("one of " + std::to_string(m.shard.count) + " ranks, one of " + std::to_string(count));
    }
    if (UnshardedOptionsJson(m.options_json) != set.options_json) return differs("other options");
    if (DedupPlanHash(m.options_json) != DedupPlanHash(first.marker.options_json)) {
      return differs("made with other dedup plans");
    }
    if (m.listing_hash != first.marker.listing_hash || m.sources_total != first.marker.sources_total) {
      return differs("their ranks found other input files");
    }
  }
  std::string missing;
  size_t missing_count = 0;
  size_t next = 0;
  for (uint32_t rank = 0; rank < count; ++rank) {
    if (next < set.parts.size() && set.parts[next].marker.shard.index == rank) {
      if (next + 1 < set.parts.size() && set.parts[next + 1].marker.shard.index == rank) {
        return InvalidArgumentError("merge: rank " + std::to_string(rank) + " is given twice (" +
                                    io::DisplayPath(set.parts[next].dir) + ", " +
                                    io::DisplayPath(set.parts[next + 1].dir) + ")");
      }
      ++next;
      continue;
    }
    if (missing_count++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(rank);
  }
  if (missing_count > 0) {
    return FailedPreconditionError("merge: " + std::to_string(missing_count) + " of " + std::to_string(count) +
                                   " ranks missing (" + missing + (missing_count > 10 ? ", ..." : "") +
                                   "): give every part folder of the run");
  }
  ShardPoint expected_begin;
  for (const LoadedPart& part : set.parts) {
    if (!(part.marker.slice.begin == expected_begin)) {
      return DataLossError(io::DisplayPath(part.dir) + ": its slice of the inputs does not follow the previous rank's");
    }
    expected_begin = part.marker.slice.end;
  }
  if (!(expected_begin == ShardPoint{first.marker.sources_total, 0})) {
    return DataLossError("merge: the parts' slices do not cover all " + std::to_string(first.marker.sources_total) +
                         " inputs");
  }
  return set;
}

}  // namespace tunepack::pipeline
