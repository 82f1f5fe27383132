#include "tokenize/spm/vocab.h"

namespace tunepack::tokenize::spm {
namespace {

bool IsProducible(SentencePieceType type) {
  return type == SentencePieceType::kNormal || type == SentencePieceType::kUserDefined ||
         type == SentencePieceType::kUnused;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

int PieceToByte(std::string_view piece) {
  if (piece.size() != 6 || piece.substr(0, 3) != "<0x" || piece[5] != '>') return -1;
  const int high = HexDigit(piece[3]);
  const int low = HexDigit(piece[4]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

Status RepeatedPieceError(uint32_t id) {
  // RankTable's message, which reported repeats when every model indexed its pieces.
  return InvalidArgumentError("two ranks share the same bytes (rank " + std::to_string(id) + ")")
      .WithContext("SentencePiece pieces");
}

Result<Vocab> Vocab::Create(const SentencePieceModelProto& model, bool index_producible) {
  std::vector<std::string> producible(index_producible ? model.pieces.size() : 0);
  std::unordered_map<std::string, uint32_t> reserved;
  std::array<bool, 256> byte_found{};
  std::array<uint32_t, 256> byte_ids{};
  int64_t unk_id = -1;
  for (uint32_t id = 0; id < model.pieces.size(); ++id) {
    const SentencePieceEntry& entry = model.pieces[id];
    if (entry.piece.empty()) return InvalidArgumentError("piece " + std::to_string(id) + " is empty");
    if (IsProducible(entry.type)) {
      if (index_producible) producible[id] = entry.piece;
    } else if (!reserved.emplace(entry.piece, id).second) {
      return InvalidArgumentError("piece " + std::to_string(id) + " is defined twice");
    }
    if (entry.type == SentencePieceType::kUnknown) {
      if (unk_id >= 0) return InvalidArgumentError("two unknown pieces");
      unk_id = id;
    }
    if (entry.type == SentencePieceType::kByte) {
      const int byte = PieceToByte(entry.piece);
      if (!model.byte_fallback || byte < 0) {
        return InvalidArgumentError("unexpected byte piece " + std::to_string(id));
      }
      byte_found[byte] = true;
      byte_ids[byte] = id;
    }
  }
  if (unk_id < 0) return InvalidArgumentError("the model has no unknown piece");
  if (model.byte_fallback) {
    for (const bool found : byte_found) {
      if (!found) return InvalidArgumentError("byte_fallback without all 256 byte pieces");
    }
  }
  std::optional<RankTable> table;
  if (index_producible) {
    auto built = RankTable::Build(std::move(producible));
    if (!built.ok()) return built.error().WithContext("SentencePiece pieces");
    table = std::move(*built);
  }
  Vocab vocab(std::move(table));
  vocab.entries_ = model.pieces;
  for (const SentencePieceEntry& entry : model.pieces) {
    vocab.scores_.push_back(entry.score);
    vocab.types_.push_back(entry.type);
  }
  vocab.reserved_ = std::move(reserved);
  for (const auto& [piece, id] : vocab.reserved_) vocab.reserved_first_bytes_.set(static_cast<uint8_t>(piece[0]));
  vocab.unk_id_ = static_cast<uint32_t>(unk_id);
  vocab.byte_ids_ = byte_ids;
  return vocab;
}

int64_t Vocab::ControlId(std::string_view piece) const {
  const auto found = reserved_.find(std::string(piece));
  if (found == reserved_.end() || type(found->second) != SentencePieceType::kControl) return -1;
  return found->second;
}

uint32_t Vocab::PieceToId(std::string_view piece) const {
  if (!piece.empty() && reserved_first_bytes_.test(static_cast<uint8_t>(piece[0]))) {
    const auto found = reserved_.find(std::string(piece));
    if (found != reserved_.end()) return found->second;
  }
  const uint32_t id = FindProducible(piece);
  return id == RankTable::kNoRank ? unk_id_ : id;
}

}  // namespace tunepack::tokenize::spm
