// ModelTables: the "vocab" object and the "merges" array of a tokenizer.json BPE model, read
// in place from the file's text with JsonTextReader. They are most of a large file (31 of
// Gemma 3's 33 MB); a DOM of them built a tape and a copy of every string first, and
// simdjson's on-demand API, the step after that, still indexed every structural character
// of the 33 MB and spent about 290 instructions a merge. SplitModelTables locates the two
// values and returns the rest of the document with them emptied, for the DOM the other
// components are read from.
//
// Errors: this path only answers whether it read the tables. A document it cannot split,
// or tables it cannot read, is read again whole as a DOM (HfTokenizer::FromJson), whose
// messages say what is wrong: the messages and refusals are those of the DOM reading.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tokenize/hf/json_text_reader.h"
#include "tokenize/hf/vocab_entries.h"
#include "tunepack/core/result.h"

namespace tunepack::tokenize::hf {

struct ModelTables {
  std::string_view vocab;   ///< the JSON text of model.vocab, inside the padded document
  std::string_view merges;  ///< the JSON text of model.merges, inside the padded document
};

struct SplitDocument {
  simdjson::padded_string rest;  ///< the document with model.vocab {} and model.merges []
  ModelTables tables;
};

// Returns the split of `json` when it is an object whose one "model" object has one
// "vocab" object (valid UTF-8) and one "merges" array; nullopt otherwise. The rest is not
// checked here: the DOM that reads it refuses what is not JSON.
//
// The merges' UTF-8 (5 ms of Gemma 3's load) needs no check when their tokens are looked
// up as the file writes them: a merge whose two tokens are in the (checked) vocab is valid
// UTF-8, and one that is not refuses the load. Read through the byte alphabet, a token is
// decoded first, so a byte-level model checks the merges' text (CheckMergesUtf8).
std::optional<SplitDocument> SplitModelTables(const simdjson::padded_string& json);

// Whether tables.merges is valid UTF-8, as a DOM of it would require.
inline bool CheckMergesUtf8(const ModelTables& tables) {
  return simdjson::validate_utf8(tables.merges.data(), tables.merges.size());
}

// Calls add(token, id) (returning Status) for each entry of tables.vocab in the file's order
// and returns the number of entries, or the first error (of the JSON, of an id that is not
// a whole number up to kMaxVocabId, or of `add`).
template <typename Add>
Result<size_t> ForEachTableVocabEntry(const ModelTables& tables, Add&& add);

// Reads the merges one at a time, in order: each a ["left", "right"] pair or a "left right"
// string. The views stay valid until the next call.
class MergeReader {
 public:
  explicit MergeReader(const ModelTables& tables) : reader_(tables.merges) {}
  // Reads the next merge: true, or false after the last one; an error when the text is not
  // an array of merges.
  Result<bool> Next(std::string_view* left, std::string_view* right);

 private:
  // After the closing bracket: false, or an error when text follows it.
  Result<bool> End();
  JsonTextReader reader_;
  bool started_ = false;
  std::string scratch_[2];  ///< the unescaped left and right tokens
};

// Splits an older file's "left right" merge at its first space after the first character
// (tokens hold no spaces; a token may be a lone space only as the left one). False when
// there is no such space.
bool SplitMergeString(std::string_view text, std::string_view* left, std::string_view* right);

// ---- implementation of the template

template <typename Add>
Result<size_t> ForEachTableVocabEntry(const ModelTables& tables, Add&& add) {
  JsonTextReader reader(tables.vocab);
  if (!reader.Consume('{')) return InvalidArgumentError("vocab: not an object");
  size_t entry_count = 0;
  std::string scratch;
  if (!reader.Consume('}')) {
    do {
      std::string_view token;
      uint64_t id = 0;
      if (!reader.ReadString(&scratch, &token) || !reader.Consume(':')) {
        return InvalidArgumentError("vocab: not valid JSON");
      }
      if (!reader.ReadUint(&id) || id > kMaxVocabId) {
        return InvalidArgumentError("vocab: an entry is not \"token\": id");
      }
      ++entry_count;
      TP_RETURN_IF_ERROR(add(token, static_cast<uint32_t>(id)));
    } while (reader.Consume(','));
    if (!reader.Consume('}')) return InvalidArgumentError("vocab: not valid JSON");
  }
  if (reader.Peek() != '\0') return InvalidArgumentError("vocab: not valid JSON");
  return entry_count;
}

}  // namespace tunepack::tokenize::hf
