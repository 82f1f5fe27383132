// Normalizers of a tokenizer.json (`"normalizer"`), a closed set selected by "type" as in
// Hugging Face's NormalizerWrapper. Types we do not implement (Precompiled, ...) fail to load:
// a tokenizer that would encode differently from the model's must not load at all.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "tokenize/hf/aligned_text.h"
#include "tokenize/hf/component_fields.h"
#include "tokenize/hf/pattern.h"

namespace tunepack::tokenize::hf {

// UnicodeForm: NFC, NFD, NFKC or NFKD.
struct UnicodeForm {
  bool compose = true;
  bool compat = false;
};
struct Lowercase {};
using Replace = Replacement;
struct Prepend {
  std::string prepend;
};
struct Strip {
  bool left = true;
  bool right = true;
};
struct StripAccents {};
struct BertNormalizer {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;
  bool lowercase = true;
};
struct NormalizerSequence;

using Normalizer = std::variant<UnicodeForm, Lowercase, Replace, Prepend, Strip, StripAccents,
                                BertNormalizer, std::shared_ptr<NormalizerSequence>>;
struct NormalizerSequence {
  std::vector<Normalizer> steps;
};

// Parses a "normalizer" object.
Result<Normalizer> ParseNormalizer(Json json);

// How far a normalizer may grow text: NormalizedSizeLimit(n) = n * kMaxNormalizedGrowth +
// kNormalizedSlack bytes (below 4 GiB, the offsets' range). Real normalizers stay far
// below it (NFKC grows text 11x at most, one U+FDFA; Replace " " by "\u2581" 3x); a file
// whose chained Replace steps multiply the text would otherwise take gigabytes.
inline constexpr size_t kMaxNormalizedGrowth = 16;
inline constexpr size_t kNormalizedSlack = 4096;
size_t NormalizedSizeLimit(size_t input_size);

// Returns `in` normalised into `out` (whose `tracked` must equal in's). Hugging Face applies
// the normalizer to each stretch of text between added tokens, and so do we. Returns
// ResourceExhausted when the text would grow past `limit` bytes (NormalizedSizeLimit of
// the input) or a Replace regex gives up (Pattern::Find).
Status Normalize(const Normalizer& normalizer, const AlignedText& in, size_t limit, AlignedText* out);

}  // namespace tunepack::tokenize::hf
