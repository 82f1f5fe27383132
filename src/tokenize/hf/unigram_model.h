// UnigramModel: the "Unigram" model of a tokenizer.json: the segmentation of a word with the
// highest total score (Viterbi over every vocabulary piece that matches, as Hugging Face's
// encode_optimized does), characters no piece covers scored as unk (the lowest score minus
// 10) and adjacent unknowns fused; with byte_fallback an unknown becomes its <0xNN> bytes.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tokenize/hf/json_fields.h"
#include "tokenize/hf/model_token.h"
#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize::hf {

class UnigramModel {
 public:
  // `model` is the "model" object of `document`, the whole tokenizer.json: the scores are
  // read again from its text, as Hugging Face converts them (see json_number.h).
  static Result<std::unique_ptr<UnigramModel>> Create(Json model, const simdjson::padded_string& document);

  // Appends the tokens of `word` (non-empty).
  void Encode(std::string_view word, std::vector<ModelToken>* tokens) const;

  const RankTable& vocab() const { return vocab_; }
  // Returns the id of the vocabulary entry `content`, or kNoRank.
  uint32_t TokenToId(std::string_view content) const { return vocab_.Find(content); }
  // Returns the number of entries in the file's vocab.
  size_t entry_count() const { return entry_count_; }

 private:
  explicit UnigramModel(RankTable vocab) : vocab_(std::move(vocab)) {}

  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> children;  // sorted by byte
    int32_t token = -1;
  };

  RankTable vocab_;
  size_t entry_count_ = 0;
  std::vector<double> scores_;
  std::vector<Node> trie_;
  std::optional<uint32_t> unk_id_;
  double unk_score_ = 0;
  bool byte_fallback_ = false;
  std::array<uint32_t, 256> byte_ids_{};
};

}  // namespace tunepack::tokenize::hf
