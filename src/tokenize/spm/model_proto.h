// Reads the piece types out of a serialized SentencePiece ModelProto. libsentencepiece's
// public API tells control, unknown, unused and byte pieces apart but not user-defined ones,
// and Debian ships no sentencepiece.pb.h to read the proto through; the few fields needed
// here are read straight from the protobuf wire format instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::tokenize {

// SentencePieceType: the values of ModelProto.SentencePiece.Type in sentencepiece.proto.
enum class SentencePieceType : uint8_t {
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
};

// SentencePieceEntry: one entry of the model's vocabulary, in id order.
struct SentencePieceEntry {
  std::string piece;
  SentencePieceType type = SentencePieceType::kNormal;
};

// Returns the pieces of a serialized ModelProto (field 1, `pieces`), in id order, or
// DataLoss when the bytes are not a well-formed protobuf message.
Result<std::vector<SentencePieceEntry>> ReadSentencePieces(std::string_view model_proto);

}  // namespace tunepack::tokenize
