#include "server/export_request.h"

#include <algorithm>
#include <set>

#include "tunepack/core/option_ref.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::server {

namespace {

using nlohmann::json;

// Keys the server sets (output) or decides (resume, overwrite): a client that sends them
// is told so instead of being ignored.
const std::set<std::string>& ServerOwnedKeys() {
  static const std::set<std::string> keys = {"output", "resume", "overwrite"};
  return keys;
}

// Returns whether the option's values are paths (its declaration says FILE or DIR).
bool NamesPaths(const options::OptionSpec& spec) {
  return spec.names_files || spec.value_name == "FILE" || spec.value_name == "DIR" ||
         spec.value_name == "INPUT...";
}

class PathResolver {
 public:
  PathResolver(const RootPaths& roots, const UploadStore& uploads) : roots_(roots), uploads_(uploads) {}

  // Resolves one path value of option `name`.
  Result<std::string> Resolve(std::string_view name, std::string_view value) const {
    if (value == "-") {
      return InvalidArgumentError(OptionRef(name) + ": the server cannot read standard input; "
                                  "upload the data (POST /api/v1/uploads) and give its id");
    }
    if (UploadStore::IsUploadId(value)) {
      Result<UploadInfo> upload = uploads_.Find(value);
      if (!upload.has_value()) return Status(upload.error().code(), OptionRef(name) + ": " + upload.error().message());
      return upload->path;
    }
    Result<std::string> path = roots_.Resolve(value);
    if (!path.has_value()) return Status(path.error().code(), OptionRef(name) + ": " + path.error().message());
    return *path;
  }

  // A tokenizer spec is a built-in name, a path, or "<built-in>:<path>" (a rank file).
  Result<std::string> ResolveTokenizer(std::string_view value) const {
    if (value.empty()) return std::string();
    for (const tokenize::BuiltinTokenizerInfo& info : tokenize::ListBuiltinTokenizers()) {
      if (value == info.name) return std::string(value);
      if (value.size() > info.name.size() && value.substr(0, info.name.size()) == info.name &&
          value[info.name.size()] == ':') {
        TP_ASSIGN_OR_RETURN(std::string path, Resolve("tokenizer", value.substr(info.name.size() + 1)));
        return info.name + ":" + path;
      }
    }
    return Resolve("tokenizer", value);
  }

 private:
  const RootPaths& roots_;
  const UploadStore& uploads_;
};

}  // namespace

Result<ResolvedExport> ResolveExportRequest(const json& body, const RootPaths& roots,
                                            const UploadStore& uploads, const std::string& output_dir) {
  if (!body.is_object()) return InvalidArgumentError("the request body must be a JSON object of options");
  const options::OptionTable& table = pipeline::ExportOptionTable();
  const PathResolver resolver(roots, uploads);
  json resolved = body;
  for (const auto& [key, value] : body.items()) {
    std::string name = key;  // the option's name: dashes where JSON keys may have underscores
    std::replace(name.begin(), name.end(), '_', '-');
    if (ServerOwnedKeys().count(key)) {
      return InvalidArgumentError(OptionRef(name) + " is chosen by the server and cannot be given");
    }
    const options::OptionSpec* spec = table.Find(name, options::kExport);
    if (spec == nullptr) continue;  // FromJson names unknown keys
    if (spec->name == "tokenizer" && value.is_string()) {
      TP_ASSIGN_OR_RETURN(resolved[key], resolver.ResolveTokenizer(value.get<std::string>()));
      continue;
    }
    if (!NamesPaths(*spec)) continue;
    if (value.is_string()) {
      if (value.get<std::string>().empty()) continue;  // the default: no file
      TP_ASSIGN_OR_RETURN(resolved[key], resolver.Resolve(name, value.get<std::string>()));
    } else if (value.is_array()) {
      json paths = json::array();
      for (const json& item : value) {
        if (!item.is_string()) return InvalidArgumentError(OptionRef(name) + " must be a list of strings");
        TP_ASSIGN_OR_RETURN(std::string path, resolver.Resolve(name, item.get<std::string>()));
        paths.push_back(std::move(path));
      }
      resolved[key] = std::move(paths);
    }
  }
  if (!resolved.contains("inputs")) {
    return InvalidArgumentError(OptionRef("inputs") + " is required: upload ids or paths under a root");
  }
  resolved["output"] = output_dir;
  ResolvedExport result;
  result.options_json = resolved.dump();
  TP_ASSIGN_OR_RETURN(result.options, pipeline::ExportOptionsFromJson(result.options_json, options::kExport));
  return result;
}

Result<pipeline::ExportOptions> ExportOptionsForRun(const std::string& options_json, bool resume) {
  TP_ASSIGN_OR_RETURN(pipeline::ExportOptions options,
                      pipeline::ExportOptionsFromJson(options_json, options::kExport));
  options.resume = resume;
  options.overwrite = false;
  options.progress = pipeline::ProgressMode::kNone;
  return options;
}

}  // namespace tunepack::server
