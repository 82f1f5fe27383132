// Tokenizer: the one interface every tokenizer kind implements (tiktoken BPE, Hugging Face
// tokenizer.json, SentencePiece). A loaded tokenizer is immutable and safe to share across
// threads; per-call scratch state lives inside the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::tokenize {

using TokenId = uint32_t;

// EncodeOptions: how special tokens are treated.
struct EncodeOptions {
  // When false (the default), special-token strings that occur in the text, such as
  // "<|im_end|>", are encoded as ordinary text: document text can never forge a turn.
  bool allow_special = false;
  // When true, adds BOS/EOS the way the tokenizer's post-processor does.
  bool add_special = false;
};

// TokenSpan: the bytes of the input a token came from, [begin, end).
struct TokenSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Returns the name the tokenizer was loaded by (a built-in name or a path).
  virtual std::string_view name() const = 0;

  // Appends the token ids of `text` to `ids` and, when `offsets` is not null, the byte span
  // of each token. `text` must be valid UTF-8.
  virtual Status Encode(std::string_view text, const EncodeOptions& options,
                        std::vector<TokenId>* ids,
                        std::vector<TokenSpan>* offsets = nullptr) const = 0;

  // Returns the number of tokens Encode would produce; kinds override it when counting
  // is cheaper than materialising ids.
  virtual Result<size_t> Count(std::string_view text, const EncodeOptions& options) const {
    std::vector<TokenId> ids;
    TP_RETURN_IF_ERROR(Encode(text, options, &ids));
    return ids.size();
  }

  // Returns the text of `ids`.
  virtual Result<std::string> Decode(std::span<const TokenId> ids) const = 0;

  // Returns the number of ids in the vocabulary, special tokens included.
  virtual size_t vocab_size() const = 0;

  // Returns the special tokens and their ids.
  virtual std::vector<std::pair<std::string, TokenId>> special_tokens() const = 0;
};

// Loads a tokenizer from `spec`: a built-in name (`tunepack tokenizers` lists them) or a path
// to a tokenizer.json, a folder holding one, a SentencePiece .model or a .tiktoken file.
//
// A .tiktoken rank file carries no pattern or special tokens: they are taken from the
// built-in encoding its file name starts with (`cl100k_base.tiktoken`), or from the one
// named before a colon (`cl100k_base:/path/to/ranks.tiktoken`). A tiktoken JSON file (the
// npm package's encoders/*.json, @anthropic-ai/tokenizer's claude.json) carries all three.
// Built-ins are loaded once per process and shared.
Result<std::shared_ptr<const Tokenizer>> LoadTokenizer(std::string_view spec);

// BuiltinTokenizerInfo: a tokenizer built into the binary.
struct BuiltinTokenizerInfo {
  std::string name;
  std::string description;
};

// Returns the built-in tokenizers, in listing order.
std::vector<BuiltinTokenizerInfo> ListBuiltinTokenizers();

}  // namespace tunepack::tokenize
