#include "tokenize/spm/model_proto.h"

#include <cstring>

namespace tunepack::tokenize {
namespace {

// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/).
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;
constexpr uint32_t kFixed32 = 5;

// WireReader: a cursor over protobuf bytes; every read fails cleanly past the end.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}

  bool done() const { return pos_ >= bytes_.size(); }

  bool ReadVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      *value |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80u) == 0) return true;
    }
    return false;
  }

  bool ReadLengthDelimited(std::string_view* out) {
    uint64_t length = 0;
    if (!ReadVarint(&length) || length > bytes_.size() - pos_) return false;
    *out = bytes_.substr(pos_, length);
    pos_ += length;
    return true;
  }

  bool ReadFixed32(uint32_t* value) {
    if (bytes_.size() - pos_ < 4) return false;
    std::memcpy(value, bytes_.data() + pos_, 4);  // protobuf is little-endian, as are our targets
    pos_ += 4;
    return true;
  }

  // Skips a field of `wire_type` whose tag was already read.
  bool Skip(uint32_t wire_type) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (wire_type) {
      case kVarint: return ReadVarint(&ignored);
      case kFixed64: return Advance(8);
      case kLengthDelimited: return ReadLengthDelimited(&ignored_bytes);
      case kFixed32: return Advance(4);
      default: return false;  // groups are not used by sentencepiece.proto
    }
  }

 private:
  bool Advance(size_t count) {
    if (count > bytes_.size() - pos_) return false;
    pos_ += count;
    return true;
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

// WireField: one field of a message, its value read according to its wire type.
struct WireField {
  uint32_t number = 0;
  uint32_t wire_type = 0;
  uint64_t varint = 0;      // kVarint
  uint32_t fixed32 = 0;     // kFixed32
  std::string_view bytes;   // kLengthDelimited
};

// Calls `visit(field)` for every field of `message`; returns false when the message is
// malformed or `visit` returns false.
template <typename Visit>
bool ForEachField(std::string_view message, Visit&& visit) {
  WireReader reader(message);
  while (!reader.done()) {
    uint64_t tag = 0;
    if (!reader.ReadVarint(&tag)) return false;
    WireField field;
    field.number = static_cast<uint32_t>(tag >> 3);
    field.wire_type = static_cast<uint32_t>(tag & 7);
    bool read = false;
    switch (field.wire_type) {
      case kVarint: read = reader.ReadVarint(&field.varint); break;
      case kLengthDelimited: read = reader.ReadLengthDelimited(&field.bytes); break;
      case kFixed32: read = reader.ReadFixed32(&field.fixed32); break;
      default: read = reader.Skip(field.wire_type); break;
    }
    if (!read || !visit(field)) return false;
  }
  return true;
}

// Reads one ModelProto.SentencePiece message: piece = 1 (string), score = 2 (float),
// type = 3 (enum).
bool ReadPiece(std::string_view message, SentencePieceEntry* entry) {
  return ForEachField(message, [&](const WireField& field) {
    if (field.number == 1 && field.wire_type == kLengthDelimited) {
      entry->piece = std::string(field.bytes);
    } else if (field.number == 2 && field.wire_type == kFixed32) {
      std::memcpy(&entry->score, &field.fixed32, sizeof(float));
    } else if (field.number == 3 && field.wire_type == kVarint) {
      if (field.varint < 1 || field.varint > 6) return false;
      entry->type = static_cast<SentencePieceType>(field.varint);
    }
    return true;
  });
}

// TrainerSpec: model_type = 3, treat_whitespace_as_suffix = 24, byte_fallback = 35,
// unk_surface = 44, bos_piece = 46, eos_piece = 47.
bool ReadTrainerSpec(std::string_view message, SentencePieceModelProto* model) {
  return ForEachField(message, [&](const WireField& field) {
    if (field.wire_type == kVarint) {
      if (field.number == 3) {
        if (field.varint < 1 || field.varint > 4) return false;
        model->model_type = static_cast<SentencePieceModelType>(field.varint);
      } else if (field.number == 24) {
        model->treat_whitespace_as_suffix = field.varint != 0;
      } else if (field.number == 35) {
        model->byte_fallback = field.varint != 0;
      }
    } else if (field.wire_type == kLengthDelimited && field.number == 44) {
      model->unk_surface = std::string(field.bytes);
    } else if (field.wire_type == kLengthDelimited && field.number == 46 && !field.bytes.empty()) {
      model->bos_piece = std::string(field.bytes);
    } else if (field.wire_type == kLengthDelimited && field.number == 47 && !field.bytes.empty()) {
      model->eos_piece = std::string(field.bytes);
    }
    return true;
  });
}

// NormalizerSpec: precompiled_charsmap = 2, add_dummy_prefix = 3,
// remove_extra_whitespaces = 4, escape_whitespaces = 5.
bool ReadNormalizerSpec(std::string_view message, SentencePieceNormalizerSpec* spec) {
  return ForEachField(message, [&](const WireField& field) {
    if (field.wire_type == kLengthDelimited && field.number == 2) {
      spec->precompiled_charsmap = std::string(field.bytes);
    } else if (field.wire_type == kVarint) {
      if (field.number == 3) spec->add_dummy_prefix = field.varint != 0;
      if (field.number == 4) spec->remove_extra_whitespaces = field.varint != 0;
      if (field.number == 5) spec->escape_whitespaces = field.varint != 0;
    }
    return true;
  });
}

}  // namespace

Result<SentencePieceModelProto> ReadSentencePieceModel(std::string_view model_proto) {
  SentencePieceModelProto model;
  std::string problem;
  const bool read = ForEachField(model_proto, [&](const WireField& field) {
    if (field.wire_type != kLengthDelimited) return true;
    switch (field.number) {
      case 1: {
        SentencePieceEntry entry;
        if (!ReadPiece(field.bytes, &entry)) {
          problem = "malformed piece " + std::to_string(model.pieces.size());
          return false;
        }
        model.pieces.push_back(std::move(entry));
        return true;
      }
      case 2:
        if (ReadTrainerSpec(field.bytes, &model)) return true;
        problem = "malformed trainer_spec";
        return false;
      case 3:
        if (ReadNormalizerSpec(field.bytes, &model.normalizer)) return true;
        problem = "malformed normalizer_spec";
        return false;
      case 4:
        model.has_self_test = model.has_self_test || !field.bytes.empty();
        return true;
      case 5: {
        SentencePieceNormalizerSpec denormalizer;
        if (!ReadNormalizerSpec(field.bytes, &denormalizer)) {
          problem = "malformed denormalizer_spec";
          return false;
        }
        model.has_denormalizer = !denormalizer.precompiled_charsmap.empty();
        return true;
      }
      default:
        return true;
    }
  });
  if (!read) return DataLossError(problem.empty() ? "malformed protobuf message" : problem);
  return model;
}

Result<std::vector<SentencePieceEntry>> ReadSentencePieces(std::string_view model_proto) {
  TP_ASSIGN_OR_RETURN(SentencePieceModelProto model, ReadSentencePieceModel(model_proto));
  return std::move(model.pieces);
}

}  // namespace tunepack::tokenize
