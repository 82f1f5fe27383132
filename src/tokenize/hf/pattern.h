// Pattern: the `pattern` of a Split pre-tokenizer or a Replace normalizer/decoder, a literal
// string or a regex. Hugging Face runs regexes with Oniguruma; we use the hand-written
// scanners for the patterns they implement (tiktoken/piece_splitter.h) and PCRE2 with JIT otherwise.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/hf/component_fields.h"
#include "tokenize/tiktoken/piece_splitter.h"

namespace tunepack::tokenize::hf {

class Pattern {
 public:
  // Returns the pattern, or InvalidArgument when a regex does not compile.
  static Result<std::shared_ptr<const Pattern>> Create(const PatternSpec& spec);
  virtual ~Pattern() = default;

  // Appends the leftmost-first, non-overlapping, non-empty matches in `text`, in order.
  // Returns ResourceExhausted when a regex gives up on `text` (PCRE2's match, depth or JIT
  // stack limit): the matches found so far would split the text differently from Hugging
  // Face, and a tokenizer must never give silently different ids.
  virtual Status Find(std::string_view text, std::vector<Piece>* matches) const = 0;
};

// Replacement: a Replace normalizer or decoder, which replaces each match of `pattern` with
// `content`.
struct Replacement {
  std::shared_ptr<const Pattern> pattern;
  std::string content;
};

// Parses the "pattern" and "content" of a Replace component.
Result<Replacement> ParseReplacement(Json json);

}  // namespace tunepack::tokenize::hf
