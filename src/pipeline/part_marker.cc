#include "pipeline/part_marker.h"

#include <nlohmann/json.hpp>

#include "pipeline/run_state.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

using nlohmann::ordered_json;

constexpr int kMarkerVersion = 1;

}  // namespace

Hash128 InputListingHash(const std::vector<SourceFile>& sources) {
  StreamingHasher hasher;
  for (const SourceFile& source : sources) {
    const std::string entry = source.path + '\0' + std::to_string(source.size) + '\0' +
                              std::to_string(source.mtime_ns) + '\0' + (source.skip_reason ? "s" : "r") + '\n';
    hasher.Update(entry);
  }
  return hasher.Digest();
}

std::string PartMarkerJson(const PartMarker& m) {
  const ordered_json j = {{"tunepack_part", kMarkerVersion},
                          {"shard", m.shard.ToString()},
                          {"options", m.options_json},
                          {"inputs_xxh3_128", m.listing_hash.Hex()},
                          {"inputs_total", m.sources_total},
                          {"inputs_begin", m.slice.begin.input},
                          {"inputs_begin_offset", m.slice.begin.offset},
                          {"inputs_end", m.slice.end.input},
                          {"inputs_end_offset", m.slice.end.offset},
                          {"walk_warnings", m.walk_warnings},
                          {"first_rejection", m.first_rejection},
                          {"manifest_xxh3_128", m.manifest_hash.Hex()}};
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

Result<PartMarker> ParsePartMarker(const std::string& json) {
  const ordered_json j = ordered_json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("tunepack_part", 0) != kMarkerVersion) {
    return DataLossError(std::string(kPartMarkerFile) + " is not a tunepack part marker this version reads");
  }
  try {
    PartMarker m;
    TP_ASSIGN_OR_RETURN(m.shard, ParseShardSpec(j.at("shard").get<std::string>()));
    m.options_json = j.at("options").get<std::string>();
    m.listing_hash = ParseHash(j.at("inputs_xxh3_128").get<std::string>());
    m.sources_total = j.at("inputs_total").get<uint64_t>();
    // The offsets: byte offsets in the files a rank boundary cut (absent: none was cut).
    m.slice.begin = {j.at("inputs_begin").get<uint64_t>(), j.value("inputs_begin_offset", uint64_t{0})};
    m.slice.end = {j.at("inputs_end").get<uint64_t>(), j.value("inputs_end_offset", uint64_t{0})};
    m.walk_warnings = j.at("walk_warnings").get<uint64_t>();
    m.first_rejection = j.at("first_rejection").get<std::string>();
    m.manifest_hash = ParseHash(j.at("manifest_xxh3_128").get<std::string>());
    const auto before = [](const ShardPoint& a, const ShardPoint& b) {
      return a.input < b.input || (a.input == b.input && a.offset <= b.offset);
    };
    if (!m.shard.enabled() || !before(m.slice.begin, m.slice.end) || m.slice.end.input > m.sources_total ||
        (m.slice.end.input == m.sources_total && m.slice.end.offset != 0)) {
      return DataLossError(std::string(kPartMarkerFile) + " is inconsistent");
    }
    return m;
  } catch (const ordered_json::exception& e) {
    return DataLossError(std::string(kPartMarkerFile) + " is damaged (" + e.what() + ")");
  }
}

Result<std::optional<PartMarker>> ReadPartMarker(const std::string& dir) {
  const std::string path = dir + "/" + kPartMarkerFile;
  if (!io::StatPath(path, false).has_value()) return std::optional<PartMarker>();
  TP_ASSIGN_OR_RETURN(std::string json, io::ReadWholeFile(path, io::kMaxConfigFileBytes));
  Result<PartMarker> marker = ParsePartMarker(json);
  if (!marker.has_value()) return DataLossError(io::DisplayPath(path) + ": " + marker.error().message());
  return std::optional<PartMarker>(std::move(*marker));
}

}  // namespace tunepack::pipeline
