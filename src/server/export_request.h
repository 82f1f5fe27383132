// ExportRequest: the body of POST /api/v1/exports and /preview turned into validated export
// options. Option keys are the CLI's long names with '_' for '-' ("max_tokens"); `inputs`
// are upload ids or paths under a --root; every other option that names a file or folder
// (template, template_dir, model, decontaminate, a tokenizer path) is resolved the same way.
// The server chooses `output` itself; `resume` and `overwrite` are its business too.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "server/root_paths.h"
#include "server/upload_store.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::server {

struct ResolvedExport {
  std::string options_json;         ///< the options with paths resolved and output set
  pipeline::ExportOptions options;  ///< the same, validated
};

// Validates `body` (a JSON object of export options) into the options of an export writing
// to `output_dir`. InvalidArgument naming the option (OptionRef) for a bad value or a key
// the server owns, PermissionDenied for a path outside the roots, NotFound for a missing
// file or upload.
Result<ResolvedExport> ResolveExportRequest(const nlohmann::json& body, const RootPaths& roots,
                                            const UploadStore& uploads, const std::string& output_dir);

// Returns the options of one run of a job from its resolved `options_json`, continuing the
// output folder when `resume`.
Result<pipeline::ExportOptions> ExportOptionsForRun(const std::string& options_json, bool resume);

}  // namespace tunepack::server
