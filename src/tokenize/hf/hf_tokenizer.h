// HfTokenizer: a Hugging Face tokenizer.json as a Tokenizer. The pipeline is Hugging Face's:
// added tokens are found in the raw text first; the text between them is normalised, searched
// for the added tokens marked `normalized`, pre-tokenized into words, and each word is encoded
// by the model (BPE, WordPiece or Unigram) through a per-thread word cache. add_special wraps
// the result as the post-processor does. Byte offsets map back through every step.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tokenize/hf/added_tokens.h"
#include "tokenize/hf/bpe_model.h"
#include "tokenize/hf/decoder.h"
#include "tokenize/hf/normalizer.h"
#include "tokenize/hf/post_processor.h"
#include "tokenize/hf/pre_tokenizer.h"
#include "tokenize/hf/unigram_model.h"
#include "tokenize/hf/wordpiece_model.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize::hf {

using Model = std::variant<std::unique_ptr<BpeModel>, std::unique_ptr<WordPieceModel>,
                           std::unique_ptr<UnigramModel>>;

struct ModelTables;

class HfTokenizer final : public Tokenizer {
 public:
  // Loads the tokenizer.json at `path` (parsed with simdjson). Components we do not
  // implement fail with Unimplemented naming them.
  static Result<std::shared_ptr<const Tokenizer>> Load(std::string_view name,
                                                       const std::filesystem::path& path);
  // Loads from the JSON text itself (padded as simdjson requires).
  static Result<std::shared_ptr<const Tokenizer>> FromJson(std::string_view name,
                                                           const simdjson::padded_string& json);

  std::string_view name() const override { return name_; }
  Status Encode(std::string_view text, const EncodeOptions& options, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets = nullptr) const override;
  Result<size_t> Count(std::string_view text, const EncodeOptions& options) const override;
  // Returns the decoder's text, as Hugging Face's decode (skip_special_tokens false) does:
  // byte-level decoding replaces each maximal invalid UTF-8 subpart (where `ids` cut a
  // character) with U+FFFD.
  Result<std::string> Decode(std::span<const TokenId> ids) const override;
  size_t vocab_size() const override { return vocab_size_; }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override;

 private:
  HfTokenizer() = default;
  // FromJson's work on a DOM of `json`, with the BPE vocab and merges read from `tables`
  // when given (see model_tables.h).
  static Result<std::shared_ptr<const Tokenizer>> FromDocument(std::string_view name,
                                                               const simdjson::padded_string& json,
                                                               const ModelTables* tables);

  template <typename Sink>
  Status EncodeText(std::string_view text, uint32_t begin, uint32_t end, bool allow_special,
                  bool track, Sink& sink) const;
  template <typename Sink>
  Status EncodeWords(AlignedText* text, bool at_input_start, Sink& sink) const;
  void EncodeWord(std::string_view word, std::vector<ModelToken>* tokens) const;
  void EncodeCached(std::string_view word, std::vector<ModelToken>* tokens) const;
  void EncodeWithModel(std::string_view word, std::vector<ModelToken>* tokens) const;
  const RankTable& vocab() const;
  std::vector<AddedToken> AssignAddedIds(std::vector<AddedToken> tokens) const;

  std::string name_;
  uint64_t instance_id_ = 0;
  Model model_;
  std::optional<Normalizer> normalizer_;
  std::optional<PreTokenizer> pre_tokenizer_;
  std::optional<Decoder> decoder_;
  SpecialWrap wrap_;
  std::vector<AddedToken> added_;
  AddedTokenMatcher raw_matcher_;
  AddedTokenMatcher normalized_matcher_;
  size_t vocab_size_ = 0;
  bool needs_alignment_ = false;  ///< see NeedsAlignment
};

}  // namespace tunepack::tokenize::hf
