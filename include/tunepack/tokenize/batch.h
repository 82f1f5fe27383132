// Batch tokenization: encode, count or decode many texts with one call, on several threads.
// A loaded Tokenizer is safe to share across threads, so the texts are spread over `jobs`
// workers; results come back in input order, the same at any thread count.
//
// Example:
//   TP_ASSIGN_OR_RETURN(auto tokenizer, LoadTokenizer("cl100k_base"));
//   std::vector<std::string_view> texts = {"hello world", "bonjour"};
//   TP_ASSIGN_OR_RETURN(std::vector<size_t> counts, CountBatch(*tokenizer, texts));
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {

// BatchOptions: how each text is encoded and how many threads share the batch.
struct BatchOptions {
  EncodeOptions encode;
  int jobs = 0;  ///< worker threads; 0 means one per core (never more than the texts)
};

// Returns the token ids of each text, in input order. On failure, returns the error of the
// first text (by index) that failed, prefixed with "text N" (0-based).
Result<std::vector<std::vector<TokenId>>> EncodeBatch(const Tokenizer& tokenizer,
                                                      std::span<const std::string_view> texts,
                                                      const BatchOptions& options = {});
Result<std::vector<std::vector<TokenId>>> EncodeBatch(const Tokenizer& tokenizer,
                                                      std::span<const std::string> texts,
                                                      const BatchOptions& options = {});

// Returns the number of tokens of each text, in input order (errors as EncodeBatch).
Result<std::vector<size_t>> CountBatch(const Tokenizer& tokenizer,
                                       std::span<const std::string_view> texts,
                                       const BatchOptions& options = {});
Result<std::vector<size_t>> CountBatch(const Tokenizer& tokenizer, std::span<const std::string> texts,
                                       const BatchOptions& options = {});

// Returns the text of each id sequence, in input order (errors as EncodeBatch, "ids N").
Result<std::vector<std::string>> DecodeBatch(const Tokenizer& tokenizer,
                                             std::span<const std::vector<TokenId>> batch,
                                             int jobs = 0);

}  // namespace tunepack::tokenize
