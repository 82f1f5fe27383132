// Vocab: a SentencePiece model's pieces as its models look them up. As in SentencePiece,
// the pieces a model may produce from text (normal, user-defined and unused ones) are
// indexed apart from the reserved ones (control, unknown and byte pieces), and a lookup
// tries the reserved ones first and answers the unknown piece when neither has the text.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenize/tiktoken/rank_table.h"
#include "tokenize/spm/model_proto.h"
#include "tunepack/core/result.h"

namespace tunepack::tokenize::spm {

class Vocab {
 public:
  // Returns InvalidArgument when the pieces break SentencePiece's rules (no unknown piece,
  // an empty or repeated piece, byte pieces missing under byte_fallback). Without
  // `index_producible` the producible pieces get no index (the unigram model finds them in
  // its trie, 1.5 MB and 9 M instructions less at load for a 32,000-piece model): then
  // FindProducible and PieceToId must not be called and the caller refuses repeated
  // producible pieces itself, with RepeatedPieceError.
  static Result<Vocab> Create(const SentencePieceModelProto& model, bool index_producible = true);

  size_t size() const { return entries_.size(); }
  const SentencePieceEntry& entry(uint32_t id) const { return entries_[id]; }
  SentencePieceType type(uint32_t id) const { return types_[id]; }
  float score(uint32_t id) const { return scores_[id]; }
  uint32_t unk_id() const { return unk_id_; }
  // The id of the piece <0xNN> for `byte` (only with byte_fallback).
  uint32_t byte_id(uint8_t byte) const { return byte_ids_[byte]; }

  // Returns the id of a normal, user-defined or unused piece, or RankTable::kNoRank.
  uint32_t FindProducible(std::string_view piece) const {
    return piece.empty() ? RankTable::kNoRank : producible_->Find(piece);
  }
  // SentencePiece's PieceToId: a reserved piece, else a producible one, else unknown.
  uint32_t PieceToId(std::string_view piece) const;
  // Returns the id of `piece` when it is a control symbol, else -1 (SentencePiece's bos_id
  // and eos_id). Control symbols are reserved pieces: no producible index is needed.
  int64_t ControlId(std::string_view piece) const;

 private:
  explicit Vocab(std::optional<RankTable> producible) : producible_(std::move(producible)) {}

  std::vector<SentencePieceEntry> entries_;
  // By id, apart from entries_ so that encoding reads them packed.
  std::vector<float> scores_;
  std::vector<SentencePieceType> types_;
  std::optional<RankTable> producible_;  // with index_producible only
  std::unordered_map<std::string, uint32_t> reserved_;
  // The first bytes of the reserved pieces: most lookups end here.
  std::bitset<256> reserved_first_bytes_;
  uint32_t unk_id_ = 0;
  std::array<uint32_t, 256> byte_ids_{};
};

// The error for a producible piece `id` equal to one of a lower id.
Status RepeatedPieceError(uint32_t id);

// Returns the byte a piece <0xNN> stands for (upper-case hex, as SentencePiece writes
// them), or -1.
int PieceToByte(std::string_view piece);

}  // namespace tunepack::tokenize::spm
