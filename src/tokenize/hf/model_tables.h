// ModelTables: the "vocab" object and the "merges" array of a tokenizer.json BPE model, read
// in place with simdjson's on-demand API. They are most of a large file (31 of Gemma 3's
// 33 MB); a DOM of them built a tape and a copy of every string first (memory the kernel
// had to fault in), only for the loader to read each once. SplitModelTables locates the
// two values and returns the rest of the document with them emptied, for the DOM the other
// components are read from.
//
// Errors: this path only answers whether it read the tables. A document it cannot split,
// or tables it cannot read, is read again whole as a DOM (HfTokenizer::FromJson), whose
// messages say what is wrong: the messages and refusals are those of the DOM reading.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "tokenize/hf/vocab_entries.h"
#include "tunepack/core/result.h"

namespace tunepack::tokenize::hf {

// The whole file iterated once with the on-demand API: simdjson's stage 1 (the scan for
// its structure, most of the cost of reading it) runs over the 33 MB once, and each table
// is reached again by rewinding and walking to it, which skips what lies on the way.
class TableDocument {
 public:
  // Returns the iterated document, or nullptr when it is not valid JSON to stage 1.
  static std::unique_ptr<TableDocument> Iterate(const simdjson::padded_string& json);
  // Finds the text of model.vocab and model.merges: false unless the document is an object
  // whose one "model" object has one "vocab" object and one "merges" array.
  bool Locate(std::string_view* vocab, std::string_view* merges);
  // Returns the value of the first `key` of the first "model" object, the document rewound
  // and walked to it (Locate found each key once).
  simdjson::simdjson_result<simdjson::ondemand::value> Seek(std::string_view key);

 private:
  TableDocument() = default;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document document_;
};

struct ModelTables {
  std::string_view vocab;   ///< the JSON text of model.vocab, inside the padded document
  std::string_view merges;  ///< the JSON text of model.merges, inside the padded document
  TableDocument* document;  ///< the whole document, which the tables are read from
};

struct SplitDocument {
  simdjson::padded_string rest;  ///< the document with model.vocab {} and model.merges []
  std::unique_ptr<TableDocument> document;  ///< the whole file, iterated once; tables.document
  ModelTables tables;
};

// Returns the split of `json` when it is an object whose "model" object has a "vocab"
// object and a "merges" array, each key once; nullopt otherwise (any JSON error included).
std::optional<SplitDocument> SplitModelTables(const simdjson::padded_string& json);

// Calls add(token, id) (returning Status) for each entry of tables.vocab in the file's order
// and returns the number of entries, or the first error (of the JSON, of an id that is not
// a whole number up to kMaxVocabId, or of `add`).
template <typename Add>
Result<size_t> ForEachTableVocabEntry(const ModelTables& tables, Add&& add);

// Reads the merges one at a time, in order: each a ["left", "right"] pair or a "left right"
// string. The views stay valid until the reader is destroyed.
class MergeReader {
 public:
  // Returns a reader of `tables.merges`, or an error when it is not an array.
  static Result<std::unique_ptr<MergeReader>> Open(const ModelTables& tables);
  size_t count() const { return count_; }
  // Reads the next merge (at most count() times).
  Status Next(std::string_view* left, std::string_view* right);

 private:
  MergeReader() = default;
  simdjson::ondemand::array array_;
  simdjson::ondemand::array_iterator next_;
  size_t count_ = 0;
};

// Splits an older file's "left right" merge at its first space after the first character
// (tokens hold no spaces; a token may be a lone space only as the left one). False when
// there is no such space.
bool SplitMergeString(std::string_view text, std::string_view* left, std::string_view* right);

// ---- implementation of the template

namespace model_tables_internal {
// Returns the text of the JSON string whose opening quote is at `quote` when it has no
// escape (the text is then the file's bytes: no copy), or nullopt.
inline std::optional<std::string_view> PlainString(const char* quote) {
  const char* end = quote + 1;
  while (*end != '"' && *end != '\\') ++end;  // the document is valid: a closing quote follows
  if (*end == '\\') return std::nullopt;
  return std::string_view(quote + 1, end - quote - 1);
}
}  // namespace model_tables_internal

template <typename Add>
Result<size_t> ForEachTableVocabEntry(const ModelTables& tables, Add&& add) {
  simdjson::ondemand::object vocab;
  if (tables.document->Seek("vocab").get_object().get(vocab) != simdjson::SUCCESS) {
    return InvalidArgumentError("vocab: not an object");
  }
  size_t entry_count = 0;
  for (auto field : vocab) {
    simdjson::ondemand::raw_json_string raw;
    if (field.key().get(raw) != simdjson::SUCCESS) return InvalidArgumentError("vocab: not valid JSON");
    std::string_view token;
    if (auto plain = model_tables_internal::PlainString(raw.raw() - 1)) {
      token = *plain;
    } else if (field.unescaped_key().get(token) != simdjson::SUCCESS) {
      return InvalidArgumentError("vocab: not valid JSON");
    }
    uint64_t id = 0;
    if (field.value().get_uint64().get(id) != simdjson::SUCCESS || id > kMaxVocabId) {
      return InvalidArgumentError("vocab: an entry is not \"token\": id");
    }
    ++entry_count;
    TP_RETURN_IF_ERROR(add(token, static_cast<uint32_t>(id)));
  }
  return entry_count;
}

}  // namespace tunepack::tokenize::hf
