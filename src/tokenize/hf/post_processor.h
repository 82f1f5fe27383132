// Post-processors of a tokenizer.json (`"post_processor"`): what --add-special adds around
// one sequence. TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel (adds
// nothing) and Sequence are reduced at load time to the ids before and after the text.
#pragma once

#include <vector>

#include "tokenize/hf/component_fields.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize::hf {

// SpecialWrap: the ids add_special puts before and after a single sequence.
struct SpecialWrap {
  std::vector<TokenId> before;
  std::vector<TokenId> after;
};

// Parses a "post_processor" object into the ids it adds around one sequence.
Result<SpecialWrap> ParsePostProcessor(Json json);

}  // namespace tunepack::tokenize::hf
