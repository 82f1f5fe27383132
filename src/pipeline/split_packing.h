// --pack: each split's data files packed into <split>.packed.jsonl once they are complete.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/run_state.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

// Packs the files of each of options' splits among `files` (paths relative to `dir`) into
// `dir`/<split>.packed.jsonl with options' sequence length, and returns what was written.
Result<std::vector<PackedOutput>> PackSplits(const ExportOptions& options, const std::string& dir,
                                             std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                             const std::vector<OutputFileSummary>& files);

}  // namespace tunepack::pipeline
