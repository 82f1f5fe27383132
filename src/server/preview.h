// Preview: the first examples of an export exactly as it would write them, without reading
// the whole input. The real pipeline runs into a scratch folder and is cancelled as soon as
// `limit` examples are out (it has then read a few batches of input, whatever its size), so
// what the preview shows is what the export writes: the same mapping, template, filters,
// dedup and format (for chat-template, the rendered text).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::server {

struct PreviewExample {
  std::string split;
  std::string source;  ///< the input file
  uint64_t record = 0;  ///< 0-based record number in it
  std::string data;    ///< the bytes the export writes for it (a JSONL line without its '\n')
  std::optional<uint64_t> tokens;  ///< as stats.json counts them (input_ids when written)
};

struct PreviewRejection {
  std::string source;
  uint64_t record = 0;
  std::string reason;
  std::string detail;
};

struct PreviewResult {
  std::string format;
  std::string tokenizer;  ///< what counted the tokens
  std::vector<PreviewExample> examples;
  std::vector<PreviewRejection> rejections;  ///< those met before the last example shown
  bool more = false;  ///< the input holds more than was shown
  double seconds = 0;
};

// Runs the export `options` into a new folder under `scratch_dir` (removed afterwards) until
// `limit` examples are written.
Result<PreviewResult> RunPreview(pipeline::ExportOptions options, size_t limit, const std::string& scratch_dir);

}  // namespace tunepack::server
