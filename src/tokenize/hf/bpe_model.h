// BpeModel: the "BPE" model of a tokenizer.json with Hugging Face's merge rule, which is not
// tiktoken's: the priority of a pair of adjacent symbols is the index of "a b" in `merges`
// and the merged symbol is vocab[a + b]; pairs merge lowest index first, leftmost on a tie.
// Also: ignore_merges (a word that is itself in the vocabulary is that token, Llama-3),
// byte_fallback (<0xNN> for characters not in the vocabulary), unk_token with fuse_unk,
// continuing_subword_prefix and end_of_word_suffix.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tokenize/hf/component_fields.h"
#include "tokenize/hf/model_token.h"
#include "tokenize/hf/vocab_index.h"
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/rank_table.h"

namespace tunepack::tokenize::hf {

struct ModelTables;

class BpeModel {
 public:
  // Builds the model from a "model" object. With `byte_level`, vocabulary and merges are in
  // the GPT-2 byte alphabet and are mapped back to raw bytes, so words are raw bytes and
  // each byte is one initial symbol; otherwise each UTF-8 character is. With `tables`, the
  // vocab and merges are read from there (the model's own are then empty).
  static Result<std::unique_ptr<BpeModel>> Create(Json model, bool byte_level,
                                                  const ModelTables* tables = nullptr);

  // Appends the tokens of `word` (non-empty).
  void Encode(std::string_view word, std::vector<ModelToken>* tokens) const;

  // Appends to `parts` the stretches of `word` that merge independently of each other (in
  // order, covering it): BPE of the word is the BPE of each part, so parts can be cached.
  // Splits only before a word-start marker (U+2581) when no merge can cross it (checked
  // at load time against every merge result).
  void SplitIndependent(std::string_view word, std::vector<Piece>* parts) const;

  // Returns the id of the vocabulary entry written `content` in the file, or kNoRank.
  uint32_t TokenToId(std::string_view content) const;
  // Returns the number of entries in the file's vocab.
  size_t entry_count() const { return entry_count_; }
  // Returns the vocab entry of `id` as written in the file when it is outside the byte
  // alphabet of a byte-level vocab (such as "<｜begin▁of▁sentence｜>"), else nullptr.
  const std::string* UnmappedToken(uint32_t id) const;

  // The two ways Merge applies the merges to a word's initial symbols, with the same result:
  // a linear scan for the lowest-ranked pair at each step (short words: no heap to build,
  // the state fits in a few cache lines) and a heap of candidate pairs (long words, where
  // rescanning would be quadratic). Exposed for tests and benchmarks.
  static constexpr size_t kLinearMergeMax = 32;
  void MergeLinear(std::vector<ModelToken>* symbols) const;
  void MergeHeap(std::vector<ModelToken>* symbols) const;

  // Returns whether SplitIndependent may split words at all.
  bool splits_words() const { return split_on_marker_; }

  // Returns the vocabulary (id <-> bytes; raw bytes when byte-level).
  const RankTable& vocab() const { return vocab_; }
  bool byte_level() const { return byte_level_; }

 private:
  BpeModel(RankTable vocab) : vocab_(std::move(vocab)) {}
  // Reads the merges (`count_hint` of them, or about as many) and fills the merge table.
  // next_merge(&left, &right) reads the next merge's two tokens as the file writes them:
  // true, or false after the last. (A template, not a std::function: it is called half a
  // million times for Gemma 3 and inlines.)
  template <typename NextMerge>
  Status LoadMerges(size_t count_hint, NextMerge&& next_merge);
  uint32_t FindMerge(uint32_t left, uint32_t right, uint32_t* new_id) const;
  // Starts loading the slot FindMerge(left, right) reads first.
  void PrefetchMerge(uint32_t left, uint32_t right) const;
  void InitialSymbols(std::string_view word, std::vector<ModelToken>* symbols) const;
  void Merge(std::vector<ModelToken>* symbols) const;

  RankTable vocab_;
  VocabIndex index_;  ///< over vocab_
  bool byte_level_ = false;
  size_t entry_count_ = 0;
  std::vector<std::pair<std::string, uint32_t>> unmapped_;  ///< see UnmappedToken
  bool byte_fallback_ = false;
  bool fuse_unk_ = false;
  bool ignore_merges_ = false;
  std::optional<uint32_t> unk_id_;
  std::string prefix_;  ///< continuing_subword_prefix
  std::string suffix_;  ///< end_of_word_suffix
  std::array<uint32_t, 256> byte_fallback_ids_{};  ///< <0xNN>, kNoRank when absent
  std::array<uint32_t, 128> ascii_ids_{};          ///< single ASCII characters (no affixes)
  // Merge table: open addressing on (left << 32 | right) -> (rank << 32 | new id), key and
  // value side by side so a lookup touches one cache line.
  struct MergeSlot {
    uint64_t key;
    uint64_t value;
  };
  std::unique_ptr<MergeSlot[]> merge_slots_;  ///< read only where merge_tags_ is not 0
  std::vector<uint8_t> merge_tags_;  ///< per slot: 0 when empty, else 8 bits of its key's hash
  uint64_t merge_mask_ = 0;
  // SplitIndependent: enabled when the vocabulary has the marker; `crossing_` holds the
  // merge results with a marker after another character, and where that marker sits.
  bool split_on_marker_ = false;
  std::vector<std::pair<std::string, uint32_t>> crossing_;
  // The id of each character of U+0080..U+FFFF that is a token by itself (kNoRank when not),
  // for InitialSymbols without affixes: a read in a 256 KB table instead of a hash probe
  // into the whole vocabulary for every non-ASCII character. Empty when byte-level.
  std::vector<uint32_t> bmp_ids_;
};

}  // namespace tunepack::tokenize::hf
