// WordPieceModel: the "WordPiece" model of a tokenizer.json (BERT): greedy longest match
// from the start of the word, later pieces looked up with the continuing_subword_prefix
// ("##"); a word with a part no piece matches, or longer than max_input_chars_per_word
// characters, is the unk token.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenize/hf/json_fields.h"
#include "tokenize/hf/model_token.h"
#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize::hf {

class WordPieceModel {
 public:
  static Result<std::unique_ptr<WordPieceModel>> Create(Json model);

  // Appends the tokens of `word` (non-empty).
  void Encode(std::string_view word, std::vector<ModelToken>* tokens) const;

  const RankTable& vocab() const { return vocab_; }
  // Returns the id of the vocabulary entry `content`, or kNoRank.
  uint32_t TokenToId(std::string_view content) const { return vocab_.Find(content); }
  // Returns the number of entries in the file's vocab.
  size_t entry_count() const { return entry_count_; }

 private:
  explicit WordPieceModel(RankTable vocab) : vocab_(std::move(vocab)) {}

  RankTable vocab_;
  size_t entry_count_ = 0;
  uint32_t unk_id_ = 0;
  std::string prefix_ = "##";
  size_t max_chars_ = 100;
};

}  // namespace tunepack::tokenize::hf
