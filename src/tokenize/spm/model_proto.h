// Reads a serialized SentencePiece ModelProto: the pieces (text, score, type) and the few
// TrainerSpec and NormalizerSpec fields that encoding and decoding depend on. Debian ships
// no sentencepiece.pb.h to read the proto through, so the fields are read straight from the
// protobuf wire format; fields that only training uses are skipped.
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
  float score = 0;
  SentencePieceType type = SentencePieceType::kNormal;
};

// SentencePieceModelType: TrainerSpec.ModelType.
enum class SentencePieceModelType : uint8_t { kUnigram = 1, kBpe = 2, kWord = 3, kChar = 4 };

// SentencePieceNormalizerSpec: NormalizerSpec, with the defaults sentencepiece.proto gives.
struct SentencePieceNormalizerSpec {
  std::string precompiled_charsmap;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;
};

// SentencePieceModelProto: what encoding and decoding read from a ModelProto.
struct SentencePieceModelProto {
  std::vector<SentencePieceEntry> pieces;
  SentencePieceModelType model_type = SentencePieceModelType::kUnigram;
  bool byte_fallback = false;
  bool treat_whitespace_as_suffix = false;
  std::string unk_surface = " \xE2\x81\x87 ";  // " ⁇ ", TrainerSpec's default
  std::string bos_piece = "<s>";   // TrainerSpec's defaults, also when the field is empty
  std::string eos_piece = "</s>";
  SentencePieceNormalizerSpec normalizer;
  // A denormalizer_spec with a charsmap: decoding then rewrites its output through it.
  bool has_denormalizer = false;
  // self_test_data with samples, which SentencePiece encodes and checks when it loads.
  bool has_self_test = false;
};

// Returns the pieces of a serialized ModelProto (field 1, `pieces`), in id order, or
// DataLoss when the bytes are not a well-formed protobuf message.
Result<std::vector<SentencePieceEntry>> ReadSentencePieces(std::string_view model_proto);

// Returns the whole of what SentencePieceModelProto holds, or DataLoss as above.
Result<SentencePieceModelProto> ReadSentencePieceModel(std::string_view model_proto);

}  // namespace tunepack::tokenize
