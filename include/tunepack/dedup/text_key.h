// Text normalisation for deduplication: the exact-dedup key (a 128-bit hash of normalised
// text) and the word stream that near-dedup shingles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/document.h"
#include "tunepack/core/hash.h"

namespace tunepack::dedup {

// ExactKeyOptions: which differences exact dedup ignores. The defaults treat texts that
// differ only in spacing as equal and keep case and punctuation significant, so "exact"
// stays close to its everyday meaning; each switch widens what counts as the same.
struct ExactKeyOptions {
  bool fold_case = false;            ///< lower-case letters (ASCII and Unicode simple case)
  bool collapse_whitespace = true;   ///< runs of white space become one space; ends trimmed
  bool strip_punctuation = false;    ///< drop punctuation and symbol characters
};

// Appends the normalised form of `text` under `options` to `out` (after clearing it).
void NormalizeForExact(std::string_view text, const ExactKeyOptions& options, std::string* out);

// Returns the 128-bit XXH3 hash of NormalizeForExact(text).
Hash128 ExactKey(std::string_view text, const ExactKeyOptions& options);

// Appends to `word_hashes` one 64-bit hash per word of `text` after the near-dedup
// normalisation: lower case, punctuation and symbols removed, split on white space (the
// normalisation datatrove applies before shingling, without its number and diacritic
// rules). Non-ASCII letters count as word characters, so any script yields words.
void HashWords(std::string_view text, std::vector<uint64_t>* word_hashes);

// Returns the text of `example` that dedup compares: the text of a text example, or the
// messages of a conversation joined as "role: content" lines (tool schemas excluded), so two
// conversations with the same turns in different roles are not the same.
std::string DedupText(const Example& example);

}  // namespace tunepack::dedup
