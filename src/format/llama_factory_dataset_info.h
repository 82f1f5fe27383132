// LLaMA-Factory's dataset_info.json for the files an export wrote: the companion file of the
// llama-factory target. Reference: /work/shared/reference/formats.md section 2.2
// (hiyouga/LLaMA-Factory data/README.md and src/llamafactory/data/parser.py).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/format/target.h"

namespace tunepack::format::internal {

// Returns dataset_info.json describing `files`: one entry per file, named
// "<dataset_name>_<file stem>", with file_name, formatting (sharegpt or alpaca), ranking for
// preference data, and the columns the file's records hold (a column LLaMA-Factory is told
// about but a file lacks fails its loader, so only columns present are named).
// InvalidArgument for a format LLaMA-Factory does not read.
Result<std::string> LlamaFactoryDatasetInfo(std::string_view dataset_name, const std::vector<TargetFile>& files);

}  // namespace tunepack::format::internal
