// The tokenizers built into the binary, by name: the tiktoken encodings whose rank data
// the build embeds (see CMakeLists.txt and scripts/fetch-tokenizer-data).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tunepack/core/registry.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::tokenize {

// BuiltinEntry: one built-in tokenizer.
struct BuiltinEntry {
  std::string name;
  std::string description;
  std::function<Result<std::shared_ptr<const Tokenizer>>()> load;
};

// Adds the tiktoken encodings (cl100k_base, o200k_base, p50k_base, r50k_base, gpt2).
Status RegisterBuiltinTiktoken(Registry<BuiltinEntry>& registry);

// Adds the legacy Anthropic Claude tokenizer (claude-legacy).
Status RegisterBuiltinClaude(Registry<BuiltinEntry>& registry);

// Returns claude-legacy's embedded blob (tiktoken/tiktoken_format.h), to recognise its claude.json
// when it is loaded by path.
std::string_view ClaudeLegacyBlob();

// Returns the claude-legacy tokenizer made of `bpe` (its ranks): NFKC, then `bpe`.
std::shared_ptr<const Tokenizer> WrapClaudeLegacy(std::string name, std::shared_ptr<const Tokenizer> bpe);

// Returns the registry of every built-in tokenizer, filled on first use.
const Registry<BuiltinEntry>& BuiltinTokenizers();

}  // namespace tunepack::tokenize
