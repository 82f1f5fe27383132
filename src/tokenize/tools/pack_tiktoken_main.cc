// Build-time tool: converts a tiktoken JSON file (the npm package `tiktoken`'s
// encoders/<name>.json) into the blob that the build embeds in the binary, after checking
// that the file's pattern is the one our hand-written scanner implements for that encoding.
//
// Usage: tunepack_pack_tiktoken NAME INPUT.json OUTPUT.blob
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tokenize/tiktoken/backtrack_encoder.h"
#include "tokenize/tiktoken/piece_splitter.h"
#include "tokenize/tiktoken/tiktoken_format.h"

namespace {

int Die(const std::string& message) {
  std::fprintf(stderr, "pack_tiktoken: %s\n", message.c_str());
  return 1;
}

std::string_view ExpectedPattern(std::string_view name) {
  using namespace tunepack::tokenize;
  if (name == "cl100k_base") return kCl100kPattern;
  if (name == "o200k_base") return kO200kPattern;
  return kGpt2Pattern;  // gpt2, r50k_base, p50k_base
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tunepack::tokenize;
  if (argc != 4) return Die("usage: tunepack_pack_tiktoken NAME INPUT.json OUTPUT.blob");
  const std::string name = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) return Die(std::string("cannot read ") + argv[2]);
  std::ostringstream text;
  text << in.rdbuf();
  auto file = ParseTiktokenJson(name, text.str());
  if (!file.ok()) return Die(std::string(argv[2]) + ": " + file.error().message());
  // claude.json says explicit_n_vocab 64739, but holds 64995 ranks (5..64999) and 5 special
  // tokens; @anthropic-ai/tokenizer never passes the field to tiktoken, so it is not checked.
  if (name == "claude-legacy") file->definition.explicit_n_vocab.reset();
  if (file->definition.pattern != ExpectedPattern(name)) {
    return Die(name + ": the pattern in the data differs from the one the scanner implements");
  }
  // The backtracking encoder's tables: work done here, not at every start.
  auto ranks = RankTable::Build(file->tokens);
  if (!ranks.ok()) return Die(std::string(argv[2]) + ": " + ranks.error().message());
  std::vector<TokenSplit> splits = ComputeTokenSplits(*ranks);
  if (splits.empty()) return Die(name + ": a token is made from a part of higher rank; the backtracking encoder cannot serve it");
  auto backtrack = BacktrackEncoder::Build(*ranks, std::move(splits));
  if (!backtrack.ok()) return Die(name + ": " + backtrack.error().message());
  // The hash index too: loading then points at it instead of hashing every token.
  const std::string blob = SerializeTiktokenBlob(file->definition, file->tokens, backtrack->tables(), &*ranks);
  // Round trip: the blob must load and give back every token.
  auto tokenizer = LoadTiktokenBlob(name, blob);
  if (!tokenizer.ok()) return Die(tokenizer.error().message());
  const auto* tiktoken = dynamic_cast<const TiktokenTokenizer*>(tokenizer->get());
  if (tiktoken == nullptr) return Die(name + ": the blob did not load as a tiktoken encoding");
  for (size_t rank = 0; rank < file->tokens.size(); ++rank) {
    if (file->tokens[rank].empty()) continue;
    const TokenId id = static_cast<TokenId>(rank);
    auto decoded = tiktoken->DecodeBytes(std::span<const TokenId>(&id, 1));
    if (!decoded.ok() || *decoded != file->tokens[rank]) {
      return Die(name + ": round trip failed at rank " + std::to_string(rank));
    }
  }
  std::ofstream out(argv[3], std::ios::binary | std::ios::trunc);
  out.write(blob.data(), static_cast<std::streamsize>(blob.size()));
  if (!out) return Die(std::string("cannot write ") + argv[3]);
  return 0;
}
