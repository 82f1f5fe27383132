#include "tokenize/tiktoken/tiktoken_tokenizer.h"

#include <algorithm>
#include <atomic>

#include "tokenize/tiktoken/byte_pair.h"
#include "tokenize/hf/word_cache.h"
#include "tunepack/core/utf8.h"

namespace tunepack::tokenize {
namespace {

// Owner ids for hf::WordCache::ForThread. The Hugging Face tokenizers number theirs from 1
// upward (hf_tokenizer.cc); these take the upper half of the id space so that a tiktoken
// tokenizer never shares a cache with one of those.
std::atomic<uint64_t> next_cache_owner{uint64_t{1} << 63};

// Pieces from this long go to the BacktrackEncoder when there is one. Shorter pieces
// (nearly all of them) merge in about half its time: its searches and checks probe the
// rank table more often than the merge loop does, and the probes are what both wait on;
// from about 40 bytes the merge loop's quadratic scan and its heap cost more (a 1 MB run
// of one character: 170-220 ms merged, 1-17 ms by the encoder).
constexpr size_t kBacktrackMin = 41;

}  // namespace

Result<std::shared_ptr<const Tokenizer>> TiktokenTokenizer::Create(TiktokenDefinition definition,
                                                                   RankTable ranks,
                                                                   const BacktrackTables& backtrack) {
  for (int byte = 0; byte < 256; ++byte) {
    if (ranks.ByteRank(static_cast<uint8_t>(byte)) == RankTable::kNoRank) {
      return InvalidArgumentError(definition.name + ": the ranks lack the single byte " +
                                  std::to_string(byte));
    }
  }
  size_t vocab_size = ranks.size();
  for (const auto& [text, id] : definition.special_tokens) {
    if (text.empty()) return InvalidArgumentError(definition.name + ": empty special token");
    if (id < ranks.size() && !ranks.Token(id).empty()) {
      return InvalidArgumentError(definition.name + ": special token " + text +
                                  " has the id of an ordinary token");
    }
    vocab_size = std::max<size_t>(vocab_size, size_t{id} + 1);
  }
  if (vocab_size > size_t{ranks.size()} + definition.special_tokens.size() + kMaxUnusedRanks) {
    return InvalidArgumentError(definition.name + ": a special token's id (" +
                                std::to_string(vocab_size - 1) + ") is far past the " +
                                std::to_string(ranks.size()) + " ranks");
  }
  if (definition.explicit_n_vocab && *definition.explicit_n_vocab != vocab_size) {
    return InvalidArgumentError(definition.name + ": expected " +
                                std::to_string(*definition.explicit_n_vocab) + " tokens, found " +
                                std::to_string(vocab_size));
  }
  TP_ASSIGN_OR_RETURN(auto pretokenizer, MakePreTokenizer(definition.pattern));
  std::unique_ptr<TiktokenTokenizer> tokenizer(new TiktokenTokenizer(
      std::move(definition), std::move(ranks), std::move(pretokenizer)));
  if (!backtrack.splits.empty()) {
    // Over the tokenizer's own table: it stays where it is from here on.
    auto encoder = BacktrackEncoder::Over(tokenizer->ranks_, backtrack);
    if (!encoder.ok()) return InvalidArgumentError(tokenizer->definition_.name + ": " + encoder.error().message());
    tokenizer->backtrack_.emplace(std::move(*encoder));
  }
  tokenizer->vocab_size_ = vocab_size;
  tokenizer->cache_owner_ = next_cache_owner.fetch_add(1);
  return std::shared_ptr<const Tokenizer>(std::move(tokenizer));
}

TiktokenTokenizer::TiktokenTokenizer(TiktokenDefinition definition, RankTable ranks,
                                     std::shared_ptr<const PreTokenizer> pretokenizer)
    : definition_(std::move(definition)),
      ranks_(std::move(ranks)),
      pretokenizer_(std::move(pretokenizer)) {}

void TiktokenTokenizer::MergePiece(std::string_view piece,
                                   std::vector<hf::ModelToken>* tokens) const {
  thread_local std::vector<Part> parts;
  parts.clear();
  if (backtrack_ && piece.size() >= kBacktrackMin) {
    backtrack_->Encode(piece, &parts);
  } else {
    BytePairMerge(ranks_, piece, &parts);
  }
  uint32_t begin = 0;
  for (const Part& part : parts) {
    tokens->push_back({part.rank, begin, part.end});
    begin = part.end;
  }
}

template <typename Sink>
Status TiktokenTokenizer::EncodeOrdinary(std::string_view text, uint32_t base, Sink&& sink) const {
  // Scratch reused across calls on this thread: the tokenizer itself stays immutable.
  thread_local std::vector<Piece> pieces;
  thread_local std::vector<hf::ModelToken> fresh;
  pieces.clear();
  TP_RETURN_IF_ERROR(pretokenizer_->Split(text, &pieces));
  hf::WordCache& cache = hf::WordCache::ForThread(cache_owner_);
  for (const Piece& piece : pieces) {
    const std::string_view bytes = text.substr(piece.begin, piece.end - piece.begin);
    const uint32_t at = base + piece.begin;
    // One byte is always its own token: a table read beats the cache.
    if (bytes.size() == 1) {
      sink(ranks_.ByteRank(static_cast<uint8_t>(bytes[0])), at, at + 1);
      continue;
    }
    // Most pieces are one token: the rank table answers them in one probe, before the
    // cache (which then holds only pieces that needed merging, and stays small and warm).
    if (const uint32_t whole = ranks_.Find(bytes); whole != RankTable::kNoRank) {
      sink(whole, at, at + static_cast<uint32_t>(bytes.size()));
      continue;
    }
    fresh.clear();
    if (bytes.size() > hf::WordCache::kMaxWord) {
      MergePiece(bytes, &fresh);
    } else {
      const uint64_t hash = hf::WordCache::Hash(bytes);
      uint32_t count = 0;
      hf::ModelToken single;
      if (const hf::ModelToken* cached = cache.Find(bytes, hash, &count, &single)) {
        for (uint32_t i = 0; i < count; ++i) {
          sink(cached[i].id, at + cached[i].begin, at + cached[i].end);
        }
        continue;
      }
      MergePiece(bytes, &fresh);
      cache.Insert(bytes, hash, fresh.data(), static_cast<uint32_t>(fresh.size()));
    }
    for (const hf::ModelToken& token : fresh) sink(token.id, at + token.begin, at + token.end);
  }
  return Status::Ok();
}

template <typename Sink>
Status TiktokenTokenizer::EncodeWith(std::string_view text, const EncodeOptions& options,
                                     Sink&& sink) const {
  if (!options.allow_special || definition_.special_tokens.empty()) {
    return EncodeOrdinary(text, 0, sink);
  }
  // Leftmost match wins; among matches at the same place, the longest.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best_at = std::string_view::npos;
    const std::pair<std::string, TokenId>* best = nullptr;
    for (const auto& special : definition_.special_tokens) {
      const size_t at = text.find(special.first, pos);
      if (at == std::string_view::npos) continue;
      if (at < best_at || (at == best_at && special.first.size() > best->first.size())) {
        best_at = at;
        best = &special;
      }
    }
    if (best == nullptr) break;
    TP_RETURN_IF_ERROR(EncodeOrdinary(text.substr(pos, best_at - pos), static_cast<uint32_t>(pos), sink));
    sink(best->second, static_cast<uint32_t>(best_at),
         static_cast<uint32_t>(best_at + best->first.size()));
    pos = best_at + best->first.size();
  }
  if (pos < text.size()) return EncodeOrdinary(text.substr(pos), static_cast<uint32_t>(pos), sink);
  return Status::Ok();
}

Status TiktokenTokenizer::Encode(std::string_view text, const EncodeOptions& options,
                                 std::vector<TokenId>* ids,
                                 std::vector<TokenSpan>* offsets) const {
  if (text.size() > UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  // tiktoken has no BOS/EOS post-processor, so add_special adds nothing.
  if (offsets == nullptr) {
    return EncodeWith(text, options, [ids](uint32_t rank, uint32_t, uint32_t) { ids->push_back(rank); });
  }
  return EncodeWith(text, options, [ids, offsets](uint32_t rank, uint32_t begin, uint32_t end) {
    ids->push_back(rank);
    offsets->push_back({begin, end});
  });
}

Result<size_t> TiktokenTokenizer::Count(std::string_view text, const EncodeOptions& options) const {
  if (text.size() > UINT32_MAX) return ResourceExhaustedError("text over 4 GiB");
  size_t count = 0;
  TP_RETURN_IF_ERROR(EncodeWith(text, options, [&count](uint32_t, uint32_t, uint32_t) { ++count; }));
  return count;
}

Result<std::string> TiktokenTokenizer::Decode(std::span<const TokenId> ids) const {
  TP_ASSIGN_OR_RETURN(const std::string bytes, DecodeBytes(ids));
  std::string text;
  TP_RETURN_IF_ERROR(RepairUtf8(bytes, InvalidUtf8Policy::kReplace, &text).status());
  return text;
}

Result<std::string> TiktokenTokenizer::DecodeBytes(std::span<const TokenId> ids) const {
  std::string out;
  for (const TokenId id : ids) {
    if (id < ranks_.size() && !ranks_.Token(id).empty()) {
      out += ranks_.Token(id);
      continue;
    }
    const auto special = std::find_if(definition_.special_tokens.begin(),
                                      definition_.special_tokens.end(),
                                      [id](const auto& entry) { return entry.second == id; });
    if (special == definition_.special_tokens.end()) {
      return InvalidArgumentError("token id " + std::to_string(id) + " is not in " +
                                  definition_.name);
    }
    out += special->first;
  }
  return out;
}

}  // namespace tunepack::tokenize
