// Reading the vocabulary of a tokenizer.json model: the loop over the {"token": id} object
// that BPE and WordPiece share, and the byte-fallback pieces ("<0x41>") that BPE and
// Unigram look up. Each model then lays the entries out its own way (BPE maps them from
// the byte alphabet into one arena; WordPiece keeps strings; Unigram reads a [piece, score]
// array instead).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "tokenize/hf/component_fields.h"

namespace tunepack::tokenize::hf {

// The largest id a vocabulary entry may have: ids index tables, and a file must not make
// one of a few billion entries.
inline constexpr uint64_t kMaxVocabId = uint64_t{1} << 24;

// Calls add(token, id) (returning Status) for each entry of the "vocab" object of `model`,
// in the file's order, and returns the number of entries. InvalidArgument "a <model_name>
// model needs a "vocab" object" when there is none, "vocab entry "<token>" has no valid
// id" when an id is not a whole number up to kMaxVocabId, or the first error of `add`.
template <typename Add>
Result<size_t> ForEachVocabEntry(Json model, std::string_view model_name, Add&& add) {
  simdjson::dom::object vocab;
  if (model.at_key("vocab").get(vocab) != simdjson::SUCCESS) {
    return InvalidArgumentError("a " + std::string(model_name) + " model needs a \"vocab\" object");
  }
  size_t entry_count = 0;
  for (auto field : vocab) {
    ++entry_count;
    uint64_t id = 0;
    if (field.value.get(id) != simdjson::SUCCESS || id > kMaxVocabId) {
      return InvalidArgumentError("vocab entry \"" + std::string(field.key) + "\" has no valid id");
    }
    TP_RETURN_IF_ERROR(add(field.key, static_cast<uint32_t>(id)));
  }
  return entry_count;
}

// Returns, for each byte, find("<0xNN>"): the id of its byte-fallback piece (NN in upper-case
// hex, as SentencePiece names them), or whatever `find` answers for a piece not there.
template <typename Find>
std::array<uint32_t, 256> ByteFallbackIds(Find&& find) {
  std::array<uint32_t, 256> ids{};
  for (int byte = 0; byte < 256; ++byte) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", byte);
    ids[byte] = find(std::string_view(name));
  }
  return ids;
}

}  // namespace tunepack::tokenize::hf
