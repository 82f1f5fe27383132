// The legacy Anthropic Claude tokenizer, `claude-legacy`: claude.json from the npm package
// @anthropic-ai/tokenizer (pinned in data/tokenizers/SOURCES), packed by the build into a
// blob placed in .rodata as tp_tiktoken_claude_legacy_begin/_end (tiktoken_embedded.cc).
// The package's countTokens() runs tiktoken over text.normalize('NFKC'), so the tiktoken
// BPE is wrapped in NFKC normalisation. Anthropic does not publish the tokenizer of Claude
// 3 and later models: counts from this one are an approximation for them.
#include "tokenize/builtin_tokenizers.h"
#include "tokenize/claude/nfkc_tokenizer.h"
#include "tokenize/tiktoken/tiktoken_format.h"

extern "C" {
extern const char tp_tiktoken_claude_legacy_begin[], tp_tiktoken_claude_legacy_end[];
}

namespace tunepack::tokenize {

std::string_view ClaudeLegacyBlob() {
  return std::string_view(
      tp_tiktoken_claude_legacy_begin,
      static_cast<size_t>(tp_tiktoken_claude_legacy_end - tp_tiktoken_claude_legacy_begin));
}

std::shared_ptr<const Tokenizer> WrapClaudeLegacy(std::string name,
                                                  std::shared_ptr<const Tokenizer> bpe) {
  return std::make_shared<NfkcTokenizer>(std::move(name), std::move(bpe));
}

Status RegisterBuiltinClaude(Registry<BuiltinEntry>& registry) {
  return registry.Add(
      {"claude-legacy",
       "Anthropic's legacy Claude tokenizer (NFKC + BPE); only an approximation for Claude 3 "
       "and later, which publish no tokenizer",
       []() -> Result<std::shared_ptr<const Tokenizer>> {
         TP_ASSIGN_OR_RETURN(auto bpe, LoadTiktokenBlob("claude-legacy", ClaudeLegacyBlob()));
         return WrapClaudeLegacy("claude-legacy", std::move(bpe));
       }});
}

}  // namespace tunepack::tokenize
