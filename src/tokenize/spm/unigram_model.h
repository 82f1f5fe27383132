// UnigramModel: SentencePiece's unigram model, the segmentation of the whole normalised
// text with the highest total score (Viterbi over every piece that starts at each
// character), computed as SentencePiece's default ("optimized") encoder does, float for
// float: scores accumulate along the text, so on a long text two nearly equal paths are
// told apart by the rounding of the running sums, and only the same arithmetic in the
// same order gives the same ids. A character no piece covers is the unknown piece, scored
// 10 below the lowest piece; user-defined symbols score as if always the best choice.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tokenize/hf/model_token.h"
#include "tokenize/spm/piece_trie.h"
#include "tokenize/spm/vocab.h"

namespace tunepack::tokenize::spm {

using hf::ModelToken;

class UnigramModel {
 public:
  // `vocab` outlives the model.
  static Result<std::unique_ptr<UnigramModel>> Create(const Vocab& vocab);

  // Appends the pieces of `normalized`, offsets within it; an id may be the unknown piece's.
  void Encode(std::string_view normalized, std::vector<ModelToken>* tokens) const;

 private:
  explicit UnigramModel(const Vocab& vocab) : vocab_(vocab) {}

  const Vocab& vocab_;
  PieceTrie trie_;
  // By id: the score of each piece, NaN for a user-defined symbol, whose score as
  // SentencePiece adds it is in user_defined_scores_ (see Create).
  std::vector<float> scores_;
  std::vector<double> user_defined_scores_;
  float unk_score_ = 0;
};

}  // namespace tunepack::tokenize::spm
