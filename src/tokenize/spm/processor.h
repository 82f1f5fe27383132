// Processor: tunepack's own SentencePiece, from a ModelProto to ids and back: normaliser,
// BPE or unigram model, then SentencePiece's last steps (a run of unknown pieces becomes
// one unknown id; with byte_fallback an unknown piece becomes its <0xNN> byte pieces).
// Ids, offsets and decoded text are those of libsentencepiece 0.1.97 (Debian 12's), which
// the parity tests hold it to.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/spm/bpe_model.h"
#include "tokenize/spm/model_proto.h"
#include "tokenize/spm/normalizer.h"
#include "tokenize/spm/unigram_model.h"
#include "tokenize/spm/vocab.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize::spm {

class Processor {
 public:
  // Returns Unimplemented, naming the feature, for a model this implementation does not
  // cover (WORD and CHAR models, treat_whitespace_as_suffix, a denormaliser, unused pieces
  // in a BPE model): the caller then runs libsentencepiece instead.
  static Result<std::unique_ptr<Processor>> Create(const SentencePieceModelProto& model);

  // Appends the ids of `text` and, when offsets is not null, their byte spans in `text`
  // shifted by `base`.
  Status Encode(std::string_view text, uint32_t base, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets) const;

  // Returns the text of `ids` (each below the vocabulary size).
  std::string Decode(std::span<const TokenId> ids) const;

  // The ids of the model's BOS and EOS control symbols, or -1.
  int64_t bos_id() const { return bos_id_; }
  int64_t eos_id() const { return eos_id_; }

 private:
  Processor(Vocab vocab, Normalizer normalizer)
      : vocab_(std::move(vocab)), normalizer_(std::move(normalizer)) {}

  Vocab vocab_;
  Normalizer normalizer_;
  std::unique_ptr<BpeModel> bpe_;
  std::unique_ptr<UnigramModel> unigram_;
  bool byte_fallback_ = false;
  bool strip_leading_space_ = false;   // add_dummy_prefix or remove_extra_whitespaces
  bool strip_all_leading_ = false;     // remove_extra_whitespaces
  std::string unk_surface_;
  int64_t bos_id_ = -1;
  int64_t eos_id_ = -1;
};

}  // namespace tunepack::tokenize::spm
