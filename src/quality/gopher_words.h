// The words the Gopher rules count, split as datatrove splits them for English (its default):
// spaCy's blank English tokenizer, whose tokens include punctuation ("fileno()," is "fileno",
// "(", ")", ","). Written from a reading of that tokenizer's rules; see docs/optimize.md for
// what is reproduced and what is approximated.
#pragma once

#include <string_view>
#include <vector>

namespace tunepack::quality {

// Returns the tokens of `text` (UTF-8) as views into it, in order. White space never appears
// in a token. Linear in the text for ordinary text.
std::vector<std::string_view> SplitGopherWords(std::string_view text);

// Returns whether `word` has a character outside datatrove's punctuation set: a "word" to the
// word-count and mean-length rules (symbol-only tokens still count as words elsewhere).
bool IsNonSymbolWord(std::string_view word);

}  // namespace tunepack::quality
