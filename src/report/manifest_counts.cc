// ParseManifestCounts: reads the "counts" object of an export's manifest.json.
#include <nlohmann/json.hpp>

#include "tunepack/io/file.h"
#include "tunepack/report/dataset_stats.h"

namespace tunepack::report {

Result<ExportCounts> ParseManifestCounts(const std::string& manifest_json) {
  const nlohmann::json j = nlohmann::json::parse(manifest_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("counts") || !j["counts"].is_object()) {
    return DataLossError("not a tunepack manifest.json (no \"counts\" object)");
  }
  const nlohmann::json& counts = j["counts"];
  auto number = [&](const char* key) -> uint64_t {
    auto it = counts.find(key);
    return it != counts.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
  };
  ExportCounts out;
  out.inputs = number("inputs");
  out.written = number("written");
  out.filtered = number("filtered");
  out.rejected = number("rejected");
  out.examples_written = number("examples_written");
  out.examples_truncated = number("examples_truncated");
  auto by_reason = [&](const char* key, std::map<std::string, uint64_t>& into) {
    auto it = counts.find(key);
    if (it == counts.end() || !it->is_object()) return;
    for (const auto& [reason, n] : it->items()) {
      if (n.is_number_unsigned()) into[reason] = n.get<uint64_t>();
    }
  };
  by_reason("filtered_by_reason", out.filtered_by_reason);
  by_reason("rejected_by_reason", out.rejected_by_reason);
  return out;
}

Result<ExportFolder> ReadExportFolder(const std::string& dir) {
  const std::string path = dir + "/manifest.json";
  Result<std::string> text = io::ReadWholeFile(path);
  if (!text.has_value()) return NotFoundError(dir + " holds no manifest.json: not an export folder");
  ExportFolder folder;
  TP_ASSIGN_OR_RETURN(folder.counts, ParseManifestCounts(*text));
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.contains("options") && j["options"].is_object() && j["options"].contains("format") &&
      j["options"]["format"].is_string()) {
    folder.format = j["options"]["format"].get<std::string>();
  }
  // The same token settings as the export's own stats.json, unless the caller overrides them.
  if (j.contains("options") && j["options"].is_object()) {
    const nlohmann::json& options = j["options"];
    if (options.contains("tokenizer") && options["tokenizer"].is_string()) {
      folder.tokenizer = options["tokenizer"].get<std::string>();
    }
    if (options.contains("model") && options["model"].is_string()) {
      folder.model_dir = options["model"].get<std::string>();
    }
    folder.strip_generation_prompt = options.value("strip_generation_prompt", false);
    if (options.contains("max_example_tokens") && options["max_example_tokens"].is_number_unsigned()) {
      folder.max_tokens = options["max_example_tokens"].get<uint64_t>();
    }
    if (folder.max_tokens == 0 && options.contains("max_tokens") && options["max_tokens"].is_number_unsigned()) {
      folder.max_tokens = options["max_tokens"].get<uint64_t>();
    }
  }
  if (j.contains("outputs") && j["outputs"].is_array()) {
    for (const nlohmann::json& output : j["outputs"]) {
      if (output.contains("path") && output["path"].is_string()) {
        folder.files.push_back(dir + "/" + output["path"].get<std::string>());
        folder.splits.push_back(output.contains("split") && output["split"].is_string()
                                    ? output["split"].get<std::string>()
                                    : std::string());
      }
    }
  }
  return folder;
}

}  // namespace tunepack::report
