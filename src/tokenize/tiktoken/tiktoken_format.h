// The file formats of tiktoken encodings:
// - a `.tiktoken` rank file: one "<base64 token> <rank>" per line;
// - the npm package's compressed form (the `bpe_ranks` field of encoders/*.json and of
//   @anthropic-ai/tokenizer's claude.json): lines "! <first rank> <base64> <base64> ...",
//   giving consecutive ranks;
// - a tiktoken JSON file: {"pat_str", "special_tokens", "bpe_ranks", "explicit_n_vocab"?};
// - tunepack's blob, the compact binary form that the build embeds in the binary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tiktoken/tiktoken_tokenizer.h"

namespace tunepack::tokenize {

// Parses rank lines in either the .tiktoken or the compressed form; returns the token bytes
// indexed by rank (empty strings for unused ranks). Errors name the 1-based line; ranks
// that leave more than kMaxUnusedRanks (tiktoken_tokenizer.h) unused are an error.
Result<std::vector<std::string>> ParseTiktokenRanks(std::string_view text);

// TiktokenFile: a parsed tiktoken JSON file.
struct TiktokenFile {
  TiktokenDefinition definition;
  std::vector<std::string> tokens;  ///< indexed by rank
};

// Parses a tiktoken JSON file; `name` becomes the definition's name.
Result<TiktokenFile> ParseTiktokenJson(std::string_view name, std::string_view json);

// Returns the blob of an encoding: magic "TPBPE001", then (all integers u32 little-endian,
// strings padded to 4 bytes) the pattern, explicit_n_vocab (0 for none), the special tokens
// (count, then id, length, bytes each), the rank count, offsets[count + 1] and token bytes;
// then, when `backtrack` has tables (BacktrackEncoder::Build's for these tokens), the bytes
// padded to 8, the rank count again, max_length, each rank's split (left, right), the
// number of long prefixes, 0, and each LongPrefix. Without them the blob's tokenizer merges.
// Then, when `index` is given (RankTable::Build of these tokens; only with `backtrack`), the
// index's size, 0 and RankTable::AppendIndex's bytes, which loading then points at.
std::string SerializeTiktokenBlob(const TiktokenDefinition& definition,
                                  const std::vector<std::string>& tokens,
                                  const BacktrackTables& backtrack = {},
                                  const RankTable* index = nullptr);

// Returns the tokenizer of a blob; the blob must outlive it (it points into it).
Result<std::shared_ptr<const Tokenizer>> LoadTiktokenBlob(std::string_view name,
                                                          std::string_view blob);

}  // namespace tunepack::tokenize
