// ExampleLimit: --max-example-tokens with --on-overlong. Counts an example's tokens the way
// stats.json does (report::CountExampleTokens) and, when asked, truncates it or provides
// the chunker that splits it. Immutable after Create and shared by the workers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "tunepack/chunk/chunker.h"
#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::pipeline {

class ExampleLimit {
 public:
  // Returns the limit for `options`, counting with `tokenizer` (the export's, loaded once), or
  // nullptr when options.max_example_tokens is 0.
  static Result<std::unique_ptr<ExampleLimit>> Create(
      const ExportOptions& options, std::shared_ptr<const tokenize::Tokenizer> tokenizer);

  uint64_t max_tokens() const { return max_tokens_; }
  OverlongPolicy policy() const { return policy_; }

  // Returns the token count of `example`.
  Result<uint64_t> Count(const Example& example) const;

  // Cuts `example` to at most max_tokens() tokens: a text at a token boundary (backed off to
  // a character boundary); a conversation keeps its leading messages that fit and the part
  // of the next one's content that fits, and loses the rest. FailedPrecondition when
  // nothing trainable would be left (no assistant message with content).
  Status Truncate(Example& example) const;

  // Returns the chunker that splits over-long text examples (policy kSplit only).
  const chunk::Chunker* splitter() const { return splitter_ ? &*splitter_ : nullptr; }

 private:
  ExampleLimit() = default;
  // Returns the longest prefix of `text` with at most `budget` tokens.
  Result<std::string> Prefix(std::string_view text, uint64_t budget) const;

  std::shared_ptr<const tokenize::Tokenizer> tokenizer_;
  uint64_t max_tokens_ = 0;
  OverlongPolicy policy_ = OverlongPolicy::kDrop;
  std::optional<chunk::Chunker> splitter_;
};

}  // namespace tunepack::pipeline
