// BpeModel: SentencePiece's BPE. Unlike a merges-list BPE, it merges by piece score: the
// text starts as characters (a user-defined symbol is one frozen symbol), and repeatedly
// the adjacent pair whose concatenation is the highest-scoring piece is merged, the
// leftmost pair first among equal scores, until no adjacent pair forms a piece. A priority
// queue of candidate pairs keeps this O(n log n) on one long run of a character.
//
// When no piece joins a character to a following "▁" (true of every model trained with
// split_by_whitespace, SentencePiece's default), no merge can cross the start of a word
// (a run of "▁" and what follows it), so words are merged one at a time and the words that
// recur are answered from a per-thread cache; the result is the same as merging the whole
// text at once, since each merge only reads its own word.
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

class BpeModel {
 public:
  // `vocab` outlives the model. Returns Unimplemented for a vocabulary with unused pieces
  // (SentencePiece re-splits those through a table that spans the whole text; not done here).
  static Result<std::unique_ptr<BpeModel>> Create(const Vocab& vocab, bool escape_whitespaces);

  // Appends the pieces of `normalized`, offsets within it; an id may be the unknown piece's.
  void Encode(std::string_view normalized, std::vector<ModelToken>* tokens) const;

 private:
  explicit BpeModel(const Vocab& vocab) : vocab_(vocab) {}
  void EncodeWord(std::string_view word, uint32_t base, std::vector<ModelToken>* tokens) const;
  void EncodeCached(std::string_view word, uint32_t base, std::vector<ModelToken>* tokens) const;
  // Merge the thread's symbols of `word` until no pair forms a piece: by a scan for the best
  // pair (a short word: the scan costs less than a queue's upkeep), or by the queue.
  void MergeByScan(std::string_view word) const;
  void MergeByQueue(std::string_view word) const;
  static constexpr size_t kScanMax = 32;

  const Vocab& vocab_;
  PieceTrie user_defined_;
  bool split_words_ = false;
  uint64_t cache_owner_ = 0;
};

}  // namespace tunepack::tokenize::spm
