// Decoders of a tokenizer.json (`"decoder"`), a closed set selected by "type" as in Hugging
// Face's DecoderWrapper: each turns the list of token strings into another list; Decode
// concatenates the result.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "tokenize/hf/component_fields.h"
#include "tokenize/hf/pattern.h"

namespace tunepack::tokenize::hf {

struct ByteLevelDecoder {};
struct MetaspaceDecoder {
  std::string replacement = "\xE2\x96\x81";
  bool strip_first = true;  ///< prepend_scheme is not "never"
};
struct ByteFallbackDecoder {};
struct FuseDecoder {};
struct StripDecoder {
  std::string content;
  size_t start = 0;
  size_t stop = 0;
};
using ReplaceDecoder = Replacement;
struct WordPieceDecoder {
  std::string prefix = "##";
  bool cleanup = true;
};
struct DecoderSequence;

using Decoder = std::variant<ByteLevelDecoder, MetaspaceDecoder, ByteFallbackDecoder, FuseDecoder,
                             StripDecoder, ReplaceDecoder, WordPieceDecoder,
                             std::shared_ptr<DecoderSequence>>;
struct DecoderSequence {
  std::vector<Decoder> steps;
};

// Parses a "decoder" object.
Result<Decoder> ParseDecoder(Json json);

// Rewrites the token strings `tokens` as the decoder does. Returns ResourceExhausted when a
// Replace step would grow their total size past `limit` bytes or its regex gives up.
Status DecodeChain(const Decoder& decoder, size_t limit, std::vector<std::string>* tokens);

}  // namespace tunepack::tokenize::hf
