// The contract of an encoding that every tokenizer fuzz target checks: one offset per id,
// every id inside the vocabulary, every offset inside the text, offsets in order.
#pragma once

#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "tunepack/tokenize/tokenizer.h"

inline void CheckEncoding(const tunepack::tokenize::Tokenizer& tokenizer, std::string_view text,
                          const std::vector<tunepack::tokenize::TokenId>& ids,
                          const std::vector<tunepack::tokenize::TokenSpan>& offsets) {
  Check(offsets.size() == ids.size());
  uint32_t previous_begin = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    Check(ids[i] < tokenizer.vocab_size());
    Check(offsets[i].begin <= offsets[i].end && offsets[i].end <= text.size());
    Check(offsets[i].begin >= previous_begin);
    previous_begin = offsets[i].begin;
  }
}
