// PreTokenizer: splits text into the pieces that BPE then encodes one at a time, the job
// of the `pat_str` regex in tiktoken. The built-in patterns have hand-written scanners over
// Unicode character classes (gpt2_scanner.cc, cl100k_scanner.cc, o200k_scanner.cc) that
// return exactly the matches of the regex, in linear time and without a regex engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::tokenize {

// Piece: the bytes [begin, end) of the text.
struct Piece {
  uint32_t begin;
  uint32_t end;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;

  // Appends the pieces of `text` to `pieces`, in order. Pieces are non-empty and do not
  // overlap; text that no piece covers (possible only with a regex that does not match
  // everywhere) is not encoded, as in tiktoken. Returns ResourceExhausted when a regex gives
  // up on the text (PCRE2's match, depth or heap limit, catastrophic backtracking): the
  // pieces found so far would give different ids from the reference's, and a tokenizer
  // must never give silently different ids. The scanners never fail.
  virtual Status Split(std::string_view text, std::vector<Piece>* pieces) const = 0;
};

// The regexes the scanners implement, verbatim from tiktoken's openai_public.py (also the
// `pat_str` of the npm package's encoders/*.json). The build checks the data against them.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
inline constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
inline constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// The Qwen2/Qwen3 tokenizer.json Split regex: cl100k's with single digits (\p{N}).
inline constexpr std::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Returns the end of the piece that starts at `pos` (< text.size()) under each pattern.
size_t Gpt2NextPiece(std::string_view text, size_t pos);
size_t Cl100kNextPiece(std::string_view text, size_t pos);
size_t O200kNextPiece(std::string_view text, size_t pos);
size_t Qwen2NextPiece(std::string_view text, size_t pos);

// Returns a pre-tokenizer for `pattern`: a hand-written scanner when the pattern is one of
// the above, otherwise a compiled PCRE2 regex (InvalidArgument when it does not compile).
Result<std::shared_ptr<const PreTokenizer>> MakePreTokenizer(std::string_view pattern);

}  // namespace tunepack::tokenize
