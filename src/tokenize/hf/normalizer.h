// Normalizers of a tokenizer.json (`"normalizer"`), a closed set selected by "type" as in
// Hugging Face's NormalizerWrapper. Types we do not implement (Precompiled, ...) fail to load:
// a tokenizer that would encode differently from the model's must not load at all.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "tokenize/hf/aligned_text.h"
#include "tokenize/hf/json_fields.h"
#include "tokenize/hf/pattern.h"

namespace tunepack::tokenize::hf {

// UnicodeForm: NFC, NFD, NFKC or NFKD.
struct UnicodeForm {
  bool compose = true;
  bool compat = false;
};
struct Lowercase {};
struct Replace {
  std::shared_ptr<const Pattern> pattern;
  std::string content;
};
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

// Returns `in` normalised into `out` (whose `tracked` must equal in's). Hugging Face applies
// the normalizer to each stretch of text between added tokens, and so do we.
void Normalize(const Normalizer& normalizer, const AlignedText& in, AlignedText* out);

}  // namespace tunepack::tokenize::hf
