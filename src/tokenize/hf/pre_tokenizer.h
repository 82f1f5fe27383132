// Pre-tokenizers of a tokenizer.json (`"pre_tokenizer"`), a closed set selected by "type" as
// in Hugging Face's PreTokenizerWrapper. Each splits the pieces of an AlignedText further;
// Metaspace and ByteLevel's add_prefix_space also change the text.
//
// ByteLevel does not map bytes to the GPT-2 "byte characters" here: the loader maps the
// vocabulary back to raw bytes instead (byte_level.h), so the model reads the input bytes.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "tokenize/hf/aligned_text.h"
#include "tokenize/hf/component_fields.h"
#include "tokenize/hf/pattern.h"

namespace tunepack::tokenize::hf {

// SplitBehavior: what happens to the delimiters a split finds (Hugging Face's
// SplitDelimiterBehavior).
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

struct SplitPre {
  std::shared_ptr<const Pattern> pattern;
  SplitBehavior behavior = SplitBehavior::kIsolated;
  bool invert = false;
};
struct ByteLevelPre {
  bool add_prefix_space = false;
  std::shared_ptr<const Pattern> regex;  ///< the GPT-2 pattern when use_regex, else null
};
struct MetaspacePre {
  enum class Prepend { kAlways, kFirst, kNever };
  std::string replacement = "\xE2\x96\x81";  // U+2581
  Prepend prepend = Prepend::kAlways;
  bool split = true;
};
struct DigitsPre {
  bool individual = false;
};
// Whitespace: the pieces of \w+|[^\w\s]+, with Hugging Face's (Oniguruma's) \w.
struct WhitespacePre {};
struct WhitespaceSplitPre {};
struct PunctuationPre {
  SplitBehavior behavior = SplitBehavior::kIsolated;
};
struct BertPre {};
struct PreTokenizerSequence;

using PreTokenizer =
    std::variant<SplitPre, ByteLevelPre, MetaspacePre, DigitsPre, WhitespacePre, WhitespaceSplitPre,
                 PunctuationPre, BertPre, std::shared_ptr<PreTokenizerSequence>>;
struct PreTokenizerSequence {
  std::vector<PreTokenizer> steps;
};

// Returns whether `cp` is a word character (\w) to Hugging Face: Alphabetic, marks, decimal
// digits, connector punctuation and the joiners, as of its regex engines' Unicode tables.
bool IsHfWordChar(char32_t cp);

// Parses a "pre_tokenizer" object.
Result<PreTokenizer> ParsePreTokenizer(Json json);

// Returns whether the pre-tokenizer is or contains ByteLevel (the vocabulary is then in the
// GPT-2 byte alphabet), and InvalidArgument... via `ok` = false when a step follows ByteLevel
// in a Sequence (that step would see byte characters, which we do not materialise).
bool UsesByteLevel(const PreTokenizer& pre_tokenizer, bool* ok);

// Returns whether the pre-tokenizer reads input offsets (Metaspace's prepend_scheme
// "first"), so encoding must keep alignments even when no offsets are asked for.
bool NeedsAlignment(const PreTokenizer& pre_tokenizer);

// Splits `pieces` (ranges of text->text) further. `at_input_start` says whether text->text
// begins at the start of the input (Metaspace's prepend_scheme "first"). Returns the error
// of a regex that gave up (Pattern::Find).
Status PreTokenize(const PreTokenizer& pre_tokenizer, bool at_input_start, AlignedText* text,
                   std::vector<Piece>* pieces);

}  // namespace tunepack::tokenize::hf
