#include "pipeline/run_state.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "tunepack/core/option_ref.h"
#include "tunepack/version.h"

namespace tunepack::pipeline {
namespace {

using nlohmann::ordered_json;

ordered_json FilesJson(const std::vector<OutputFileSummary>& files) {
  ordered_json array = ordered_json::array();
  for (const OutputFileSummary& f : files) {
    array.push_back({{"path", f.path}, {"split", f.split}, {"records", f.records}, {"bytes", f.bytes}});
  }
  return array;
}

ordered_json ByReason(const std::map<std::string, uint64_t>& counts) {
  ordered_json by_reason = ordered_json::object();
  for (const auto& [reason, count] : counts) by_reason[reason] = count;
  return by_reason;
}

// inputs = written + filtered + rejected: filtered units were dropped by a filter the user
// asked for, rejected ones could not be used.
ordered_json CountsJson(const RunState& s) {
  ordered_json counts = {{"inputs", s.inputs},
                         {"written", s.written},
                         {"filtered", s.filtered},
                         {"rejected", s.rejected},
                         {"filtered_by_reason", ByReason(s.filtered_by_reason)},
                         {"rejected_by_reason", ByReason(s.rejected_by_reason)},
                         {"examples_written", s.examples_written},
                         {"examples_rejected", s.examples_rejected},
                         {"examples_truncated", s.examples_truncated},
                         {"invalid_utf8_sequences", s.invalid_utf8}};
  // Only exports that redact PII have findings; the others keep the counts they always had.
  if (!s.pii_redacted.empty()) counts["pii_redacted"] = s.pii_redacted;
  return counts;
}

// Dumps `j`; a string that is not UTF-8 (it should never be) is written with U+FFFD rather
// than throwing.
std::string Dump(const ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

Hash128 ParseHash(const std::string& hex) {
  Hash128 hash{0, 0};
  if (hex.size() != 32) return hash;
  hash.high = std::strtoull(hex.substr(0, 16).c_str(), nullptr, 16);
  hash.low = std::strtoull(hex.substr(16).c_str(), nullptr, 16);
  return hash;
}

std::string CheckpointJson(const RunState& s, const std::string& options_json) {
  ordered_json sources = ordered_json::array();
  for (const SourceCounts& c : s.sources) {
    sources.push_back({{"path", c.path},
                       {"size", c.size},
                       {"mtime_ns", c.mtime_ns},
                       {"consumed", c.consumed_bytes},
                       {"consumed_xxh3_128", c.consumed_hash.Hex()},
                       {"counts", {c.units, c.written, c.rejected, c.filtered}}});
  }
  ordered_json j = {{"version", 2},
                    {"options", options_json},
                    {"tasks_done", s.tasks_done},
                    {"counts", CountsJson(s)},
                    {"first_rejection", s.first_rejection},
                    {"sources", sources},
                    {"files", FilesJson(s.files)},
                    {"rejected_bytes", s.rejected_file_bytes}};
  if (s.signatures_bytes > 0) j["signatures_bytes"] = s.signatures_bytes;
  return Dump(j, -1);
}

Result<RunState> ParseCheckpoint(const std::string& json, const std::string& options_json) {
  ordered_json j = ordered_json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("version", 0) != 2) {
    return DataLossError("the checkpoint is unreadable; start again with " + OptionRef("overwrite"));
  }
  if (j.value("options", std::string()) != options_json) {
    return FailedPreconditionError(
        "the interrupted export used other options; resume with the same options, or start again with " +
        OptionRef("overwrite"));
  }
  try {
    RunState s;
    s.tasks_done = j.at("tasks_done").get<uint64_t>();
    const ordered_json& counts = j.at("counts");
    s.inputs = counts.at("inputs").get<uint64_t>();
    s.written = counts.at("written").get<uint64_t>();
    s.rejected = counts.at("rejected").get<uint64_t>();
    s.filtered = counts.value("filtered", uint64_t{0});
    s.invalid_utf8 = counts.at("invalid_utf8_sequences").get<uint64_t>();
    s.examples_written = counts.at("examples_written").get<uint64_t>();
    s.examples_rejected = counts.at("examples_rejected").get<uint64_t>();
    s.examples_truncated = counts.value("examples_truncated", uint64_t{0});
    for (const auto& [reason, count] : counts.at("rejected_by_reason").items()) {
      s.rejected_by_reason[reason] = count.get<uint64_t>();
    }
    if (counts.contains("filtered_by_reason")) {
      for (const auto& [reason, count] : counts.at("filtered_by_reason").items()) {
        s.filtered_by_reason[reason] = count.get<uint64_t>();
      }
    }
    if (counts.contains("pii_redacted")) {
      for (const auto& [kind, count] : counts.at("pii_redacted").items()) {
        s.pii_redacted[kind] = count.get<uint64_t>();
      }
    }
    s.first_rejection = j.at("first_rejection").get<std::string>();
    for (const ordered_json& c : j.at("sources")) {
      SourceCounts counts;
      const ordered_json& numbers = c.at("counts");
      counts.units = numbers.at(0).get<uint64_t>();
      counts.written = numbers.at(1).get<uint64_t>();
      counts.rejected = numbers.at(2).get<uint64_t>();
      counts.filtered = numbers.size() > 3 ? numbers.at(3).get<uint64_t>() : 0;
      counts.path = c.at("path").get<std::string>();
      counts.size = c.at("size").get<uint64_t>();
      counts.mtime_ns = c.at("mtime_ns").get<int64_t>();
      counts.consumed_bytes = c.at("consumed").get<uint64_t>();
      counts.consumed_hash = ParseHash(c.at("consumed_xxh3_128").get<std::string>());
      s.sources.push_back(std::move(counts));
    }
    for (const ordered_json& f : j.at("files")) {
      s.files.push_back({f.at("path").get<std::string>(), f.at("split").get<std::string>(),
                         f.at("records").get<uint64_t>(), f.at("bytes").get<uint64_t>()});
    }
    s.rejected_file_bytes = j.at("rejected_bytes").get<uint64_t>();
    s.signatures_bytes = j.value("signatures_bytes", uint64_t{0});
    return s;
  } catch (const ordered_json::exception& e) {
    return DataLossError(std::string("the checkpoint is damaged (") + e.what() +
                         "); start again with " + OptionRef("overwrite"));
  }
}

std::string ManifestJson(const RunState& s, const ManifestData& data) {
  ordered_json inputs = ordered_json::array();
  for (size_t i = 0; i < data.sources.size(); ++i) {
    const SourceInfo& info = data.sources[i];
    const SourceCounts counts = i < s.sources.size() ? s.sources[i] : SourceCounts{};
    ordered_json input = {{"path", info.path}};
    // A name that is not UTF-8: its exact bytes, where "path" shows \xNN for each bad byte.
    if (!info.path_hex.empty()) input["path_hex"] = info.path_hex;
    input["type"] = info.type;
    input["bytes"] = info.bytes;
    input["xxh3_128"] = info.hash.Hex();
    input["units"] = counts.units;
    input["written"] = counts.written;
    input["filtered"] = counts.filtered;
    input["rejected"] = counts.rejected;
    inputs.push_back(std::move(input));
  }
  ordered_json outputs = ordered_json::array();
  for (const auto& [file, hash] : data.outputs) {
    outputs.push_back({{"path", file.path},
                       {"split", file.split},
                       {"records", file.records},
                       {"bytes", file.bytes},
                       {"xxh3_128", hash.Hex()}});
  }
  ordered_json j = {
      {"tool", {{"name", "tunepack"}, {"version", kVersion}}},
      {"options", ordered_json::parse(data.options_json, nullptr, false)},
      {"inputs", inputs},
      {"counts", CountsJson(s)},
      {"outputs", outputs},
      {"rejected", {{"path", kRejectedFile}, {"records", s.examples_rejected},
                    {"bytes", s.rejected_file_bytes}, {"xxh3_128", data.rejected_hash.Hex()}}},
      {"warnings", data.warnings}};
  if (!data.near_dedup_lsh.empty()) j["near_dedup_lsh"] = data.near_dedup_lsh;
  if (!data.dataset_card.empty()) {
    j["dataset_card"] = {{"path", data.dataset_card}, {"xxh3_128", data.dataset_card_hash.Hex()}};
  }
  if (!data.target_file.empty()) {
    j["target_file"] = {{"path", data.target_file}, {"xxh3_128", data.target_file_hash.Hex()}};
  }
  if (!data.packed.empty()) {
    ordered_json packed = ordered_json::array();
    for (const PackedOutput& p : data.packed) {
      packed.push_back({{"path", p.path},
                        {"split", p.split},
                        {"sequences", p.summary.sequences},
                        {"examples", p.summary.examples},
                        {"packed", p.summary.packed},
                        {"overlong", p.summary.overlong},
                        {"tokens", p.summary.tokens},
                        {"efficiency", p.summary.efficiency},
                        {"xxh3_128", p.hash.Hex()}});
    }
    j["packed"] = packed;
  }
  return Dump(j, 2) + "\n";
}

Result<std::vector<std::string>> ManifestOutputPaths(const std::string& manifest_json) {
  ordered_json j = ordered_json::parse(manifest_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("outputs")) {
    return DataLossError("manifest.json is unreadable");
  }
  std::vector<std::string> paths;
  auto add = [&](const ordered_json& entry) {
    if (entry.is_object() && entry.contains("path") && entry["path"].is_string()) {
      paths.push_back(entry["path"].get<std::string>());
    }
  };
  for (const char* list : {"outputs", "packed"}) {
    if (!j.contains(list) || !j[list].is_array()) continue;
    for (const ordered_json& f : j[list]) add(f);
  }
  if (j.contains("rejected")) add(j["rejected"]);
  if (j.contains("dataset_card")) add(j["dataset_card"]);
  if (j.contains("target_file")) add(j["target_file"]);
  return paths;
}

}  // namespace tunepack::pipeline
