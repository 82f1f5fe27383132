// ModelToken: one token a model produced for a word, with the bytes of the word it covers.
#pragma once

#include <cstdint>

namespace tunepack::tokenize::hf {

struct ModelToken {
  uint32_t id;
  uint32_t begin;  ///< within the word
  uint32_t end;
};

}  // namespace tunepack::tokenize::hf
