// TiktokenTokenizer: byte-level BPE as OpenAI's tiktoken does it. The text is split by the
// encoding's pattern, each piece is looked up whole in the vocabulary and, when absent,
// byte-pair merged (byte_pair.h; pieces of over 40 bytes by a BacktrackEncoder, to the same
// tokens, when the encoding comes with its tables). The tokens of each piece of up to
// hf::WordCache::kMaxWord bytes are cached per thread, because the same words recur throughout text. Special tokens
// are recognised only when the caller allows them; otherwise their strings are ordinary text
// (EncodeOptions::allow_special).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tokenize/hf/model_token.h"
#include "tokenize/tiktoken/backtrack_encoder.h"
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/rank_table.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {

// How many ids below the highest may be unused, in a rank file and between the ranks and
// a special token's id. Real encodings leave a handful (claude.json 5, cl100k_base's
// special tokens start one past its ranks); a file whose one rank is 500,000,000 would
// otherwise make a 16 GB table.
inline constexpr size_t kMaxUnusedRanks = size_t{1} << 16;

// TiktokenDefinition: everything about an encoding except its ranks.
struct TiktokenDefinition {
  std::string name;
  std::string pattern;  ///< the pre-tokenizer regex (tiktoken's pat_str)
  std::vector<std::pair<std::string, TokenId>> special_tokens;
  std::optional<uint32_t> explicit_n_vocab;  ///< checked against the data when present
};

class TiktokenTokenizer final : public Tokenizer {
 public:
  // Returns a tokenizer, or InvalidArgument when the ranks lack one of the 256 single bytes,
  // a special token collides with a rank or lies more than kMaxUnusedRanks past the ranks, the pattern does not compile or the vocabulary
  // size differs from explicit_n_vocab. With `backtrack` tables (BacktrackEncoder::Build's
  // for these ranks, outliving the tokenizer: the embedded blobs carry them), long pieces
  // are encoded by a BacktrackEncoder instead of the merge loop.
  static Result<std::shared_ptr<const Tokenizer>> Create(TiktokenDefinition definition,
                                                         RankTable ranks,
                                                         const BacktrackTables& backtrack = {});

  std::string_view name() const override { return definition_.name; }
  Status Encode(std::string_view text, const EncodeOptions& options, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets = nullptr) const override;
  Result<size_t> Count(std::string_view text, const EncodeOptions& options) const override;
  // Returns the text of the tokens, each maximal invalid UTF-8 subpart (where `ids` cut a
  // character) replaced with U+FFFD, as tiktoken's decode(errors="replace") and Hugging
  // Face's byte-level decoder do.
  Result<std::string> Decode(std::span<const TokenId> ids) const override;
  // Returns the bytes of the tokens as they are (not valid UTF-8 when `ids` cut a character).
  Result<std::string> DecodeBytes(std::span<const TokenId> ids) const;
  size_t vocab_size() const override { return vocab_size_; }
  // Returns the pattern, special tokens and name the tokenizer was made from.
  const TiktokenDefinition& definition() const { return definition_; }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override {
    return definition_.special_tokens;
  }

 private:
  TiktokenTokenizer(TiktokenDefinition definition, RankTable ranks,
                    std::shared_ptr<const PreTokenizer> pretokenizer);

  // Calls sink(rank, begin, end) for each token of `text`, whose bytes start at `base` in
  // the caller's input; returns the pattern's error (PreTokenizer::Split).
  template <typename Sink>
  Status EncodeOrdinary(std::string_view text, uint32_t base, Sink&& sink) const;
  // Appends the byte-pair merged tokens of one pre-token `piece` that is not itself a token
  // (like tiktoken, a piece that is a token is that token, merged or not: EncodeOrdinary
  // looks it up first) to `tokens`, offsets within it.
  void MergePiece(std::string_view piece, std::vector<hf::ModelToken>* tokens) const;
  template <typename Sink>
  Status EncodeWith(std::string_view text, const EncodeOptions& options, Sink&& sink) const;

  TiktokenDefinition definition_;
  RankTable ranks_;
  std::optional<BacktrackEncoder> backtrack_;  ///< over ranks_, when the splits are known
  std::shared_ptr<const PreTokenizer> pretokenizer_;
  size_t vocab_size_ = 0;
  // Names this tokenizer's per-thread pre-token cache (hf::WordCache::ForThread).
  uint64_t cache_owner_ = 0;
};

}  // namespace tunepack::tokenize
