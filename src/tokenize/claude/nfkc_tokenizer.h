// NfkcTokenizer: applies Unicode NFKC to the text before handing it to another tokenizer,
// as @anthropic-ai/tokenizer's countTokens does (`text.normalize('NFKC')`, then tiktoken
// with claude.json). Offsets are mapped back to the caller's text through NfkcText: a
// token's span covers the original characters it came from; when NFKC turned one
// character into several ("ﬁ" -> "fi") and a token boundary falls inside them, each token
// touching them spans the whole original character, so neighbouring spans may overlap.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {

class NfkcTokenizer final : public Tokenizer {
 public:
  NfkcTokenizer(std::string name, std::shared_ptr<const Tokenizer> inner)
      : name_(std::move(name)), inner_(std::move(inner)) {}

  std::string_view name() const override { return name_; }
  Status Encode(std::string_view text, const EncodeOptions& options, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets = nullptr) const override;
  Result<size_t> Count(std::string_view text, const EncodeOptions& options) const override;
  // Returns the normalised text the ids stand for (NFKC is not undone).
  Result<std::string> Decode(std::span<const TokenId> ids) const override {
    return inner_->Decode(ids);
  }
  size_t vocab_size() const override { return inner_->vocab_size(); }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override {
    return inner_->special_tokens();
  }
  // Returns the tokenizer the normalised text goes to.
  const Tokenizer& inner() const { return *inner_; }

 private:
  std::string name_;
  std::shared_ptr<const Tokenizer> inner_;
};

}  // namespace tunepack::tokenize
