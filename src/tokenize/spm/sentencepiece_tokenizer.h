// SentencePieceTokenizer: a SentencePiece `.model` file (BPE or unigram), with the ids of
// SentencePiece itself (`sp.encode(text)`), from tunepack's own implementation
// (spm::Processor). Debian's libsentencepiece runs the models that use a feature that one
// leaves out (WORD and CHAR models, treat_whitespace_as_suffix, a denormaliser, unused
// pieces in a BPE model), and loads a model that carries self-test samples, to check them
// as SentencePiece does, before the native implementation runs it.
//
// Special tokens, as SentencePiece defines them:
// - control symbols (<s>, </s>, [CLS], ...) and the unknown piece (<unk>) are never matched
//   in text by SentencePiece; tunepack keeps that by default, so "<s>" in a document is
//   plain text. With EncodeOptions::allow_special, their strings in the text become their
//   ids, and the text between them is encoded piece by piece as SentencePiece would encode
//   each piece on its own (each gets its own dummy-prefix "▁" when the model adds one).
// - user-defined symbols are always matched, with or without allow_special: SentencePiece
//   treats them as pieces that are never split, and the model was trained on text segmented
//   that way, so encoding them as plain text would give ids the model never saw.
// EncodeOptions::add_special adds the model's BOS id before and its EOS id after the ids,
// each only when the model defines it (trainer bos_id/eos_id >= 0), as
// `sp.encode(text, add_bos=True, add_eos=True)` does.
#pragma once

#include <bitset>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tunepack/tokenize/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}  // namespace sentencepiece

namespace tunepack::tokenize {
namespace spm {
class Processor;
}  // namespace spm

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Returns a tokenizer for the serialized ModelProto `model_proto` (the bytes of a .model
  // file), or InvalidArgument / DataLoss when SentencePiece cannot load it.
  static Result<std::shared_ptr<const Tokenizer>> Create(std::string name,
                                                         std::string_view model_proto);
  ~SentencePieceTokenizer() override;

  std::string_view name() const override { return name_; }
  // Offsets are SentencePiece's own byte spans into `text`. Where a character is encoded as
  // byte pieces (byte fallback), the last byte piece spans the whole character and the ones
  // before it are empty spans at the character's start, as SentencePiece reports them.
  Status Encode(std::string_view text, const EncodeOptions& options, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets = nullptr) const override;
  // Returns SentencePiece's decoding: "▁" becomes a space, the dummy prefix is dropped,
  // byte pieces are reassembled and control symbols decode to nothing.
  Result<std::string> Decode(std::span<const TokenId> ids) const override;
  size_t vocab_size() const override { return vocab_size_; }
  // Returns whether tunepack's own implementation runs this model (else libsentencepiece).
  bool native() const { return native_ != nullptr; }
  // Returns the control symbols, the unknown piece and the user-defined symbols.
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override {
    return special_tokens_;
  }

 private:
  SentencePieceTokenizer();

  // Encodes `text` (no special-token matching) whose bytes start at `base` in the input.
  Status EncodeText(std::string_view text, uint32_t base, std::vector<TokenId>* ids,
                    std::vector<TokenSpan>* offsets) const;

  std::string name_;
  // Exactly one of the two is set: tunepack's own implementation, or libsentencepiece for
  // a model that uses what the former leaves out.
  std::unique_ptr<const spm::Processor> native_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  size_t vocab_size_ = 0;
  int bos_id_ = -1;
  int eos_id_ = -1;
  std::vector<std::pair<std::string, TokenId>> special_tokens_;
  // The control and unknown pieces, matched in text only under allow_special.
  std::vector<std::pair<std::string, TokenId>> matchable_specials_;
  // The first bytes of matchable_specials_, so that most positions are passed at once.
  std::bitset<256> special_first_bytes_;
};

}  // namespace tunepack::tokenize
