#include "tokenize/spm/model_proto.h"

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

// Reads one ModelProto.SentencePiece message: piece = 1 (string), type = 3 (enum).
bool ReadPiece(std::string_view message, SentencePieceEntry* entry) {
  WireReader reader(message);
  while (!reader.done()) {
    uint64_t tag = 0;
    if (!reader.ReadVarint(&tag)) return false;
    const auto field = static_cast<uint32_t>(tag >> 3);
    const auto wire_type = static_cast<uint32_t>(tag & 7);
    if (field == 1 && wire_type == kLengthDelimited) {
      std::string_view piece;
      if (!reader.ReadLengthDelimited(&piece)) return false;
      entry->piece = std::string(piece);
    } else if (field == 3 && wire_type == kVarint) {
      uint64_t type = 0;
      if (!reader.ReadVarint(&type)) return false;
      if (type < 1 || type > 6) return false;
      entry->type = static_cast<SentencePieceType>(type);
    } else if (!reader.Skip(wire_type)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::vector<SentencePieceEntry>> ReadSentencePieces(std::string_view model_proto) {
  std::vector<SentencePieceEntry> pieces;
  WireReader reader(model_proto);
  while (!reader.done()) {
    uint64_t tag = 0;
    if (!reader.ReadVarint(&tag)) return DataLossError("truncated protobuf field tag");
    const auto field = static_cast<uint32_t>(tag >> 3);
    const auto wire_type = static_cast<uint32_t>(tag & 7);
    if (field == 1 && wire_type == kLengthDelimited) {
      std::string_view message;
      SentencePieceEntry entry;
      if (!reader.ReadLengthDelimited(&message) || !ReadPiece(message, &entry)) {
        return DataLossError("malformed piece " + std::to_string(pieces.size()));
      }
      pieces.push_back(std::move(entry));
    } else if (!reader.Skip(wire_type)) {
      return DataLossError("malformed protobuf field " + std::to_string(field));
    }
  }
  return pieces;
}

}  // namespace tunepack::tokenize
