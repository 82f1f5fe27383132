// Validation of dataset files before they are uploaded or trained on: `tunepack validate`.
//
// Every format gets structural checks (each line valid JSON, an object, readable as a
// record of the format; plain-file formats splittable) and the optional token limit. A
// format may carry checks of its own (format::Format::checks, tunepack/format/file_checks.h):
// openai has the ones OpenAI's chat fine-tuning data-preparation guide applies, and more
// from the fine-tuning schema (tool calls, weights).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/format/format.h"
#include "tunepack/format/target.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::report {

// The findings' types are the formats' own checks' (tunepack/format/file_checks.h).
using format::Problem;
using format::Problems;
using format::Severity;

// ValidateOptions: the optional token limit.
struct ValidateOptions {
  std::shared_ptr<const tokenize::Tokenizer> tokenizer;  ///< null: no token limit check
  uint64_t max_tokens = 0;  ///< examples over this many tokens are errors (needs tokenizer)
  // chat-template output: the generation prompt its template leaves after the last turn
  // (format::Format::dangling_generation_prompt); a text ending with it is a warning.
  std::string generation_prompt;
  // --target: the file must be in one of its formats, and its turn rules, extra-key rule,
  // one-format-per-file rule and known file limits are errors. Null: none.
  const format::Target* target = nullptr;
};

// ValidationSummary: what ValidateFile saw.
struct ValidationSummary {
  std::string format;  ///< the format the file was checked as
  uint64_t records = 0;
  uint64_t errors = 0;
  uint64_t warnings = 0;
  // openai files: the conversations with no system message (OpenAI's data-preparation
  // notebook counts them; not a problem in itself).
  uint64_t missing_system = 0;
};

// ValidateRequest: validate's options as a user gives them (CLI flags, Python keywords).
struct ValidateRequest {
  std::string format;      ///< check as this format; empty: detected
  std::string tokenizer;   ///< the tokenizer of the token limit (needs max_tokens)
  uint64_t max_tokens = 0;  ///< 0: no token limit
  std::string model_dir;   ///< chat-template output: the model folder whose template rendered it
  std::string target;      ///< check against this target's rules and limits (tunepack targets)
};

// ValidatePlan: a request resolved: the format to check files as and the checks' options.
struct ValidatePlan {
  const format::Format* forced = nullptr;  ///< null: each file's format is detected
  ValidateOptions options;
};

// Resolves `request` for checking `files`: loads the tokenizer and the model's template, maps
// a write-only format (chat-template) to the format its files are read back as
// (format::ReadBackFormat). InvalidArgument for a token limit without a tokenizer (or the
// reverse); the loaders' errors otherwise.
Result<ValidatePlan> ResolveValidateRequest(const ValidateRequest& request, const std::vector<std::string>& files);

// Validates `path` as `forced` (null: detected like `tunepack stats` does), calling `report`
// for each problem in line order.
// Errors (the file could not be checked at all): NotFound, or InvalidArgument when no
// format fits.
Result<ValidationSummary> ValidateFile(const std::string& path, const format::Format* forced,
                                       const ValidateOptions& options,
                                       const std::function<void(const Problem&)>& report);

}  // namespace tunepack::report
