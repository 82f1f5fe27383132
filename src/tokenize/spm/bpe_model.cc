#include "tokenize/spm/bpe_model.h"

#include <algorithm>
#include <array>
#include <atomic>

#include "tokenize/hf/word_cache.h"
#include "tokenize/spm/normalizer.h"

namespace tunepack::tokenize::spm {
namespace {

std::atomic<uint64_t> next_cache_owner{0x5350'4d00'0000'0001ull};

// Returns whether `piece` has a character other than "▁" right before a "▁": such a piece
// could be merged across the start of a word.
bool JoinsIntoSpace(std::string_view piece) {
  bool after_other = false;
  for (size_t pos = 0; pos < piece.size();) {
    if (piece.substr(pos, kSpaceSymbol.size()) == kSpaceSymbol) {
      if (after_other) return true;
      pos += kSpaceSymbol.size();
      continue;
    }
    after_other = true;
    pos += std::min(OneCharLength(piece[pos]), piece.size() - pos);
  }
  return false;
}

struct Symbol {
  uint32_t begin;
  uint32_t size;  // 0 once merged into the symbol on its left
  int32_t prev;
  int32_t next;
  bool frozen;  // a user-defined symbol: never merged
};

struct Candidate {
  float score;
  int32_t left;
  int32_t right;
  uint32_t size;  // the merged size when pushed: a stale candidate no longer matches it
};

// The symbols of the word being merged, on this thread.
std::vector<Symbol>& Symbols() {
  thread_local std::vector<Symbol> symbols;
  return symbols;
}

// The heap's order: the highest score first, then the leftmost.
bool Before(const Candidate& a, const Candidate& b) {
  return a.score < b.score || (a.score == b.score && a.left > b.left);
}

}  // namespace

Result<std::unique_ptr<BpeModel>> BpeModel::Create(const Vocab& vocab, bool escape_whitespaces) {
  std::unique_ptr<BpeModel> model(new BpeModel(vocab));
  std::vector<PieceTrie::Entry> user_defined;
  bool joins = false;
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    const SentencePieceEntry& entry = vocab.entry(id);
    if (entry.type == SentencePieceType::kUnused) {
      return UnimplementedError("BPE model with unused pieces");
    }
    if (entry.type == SentencePieceType::kUserDefined) user_defined.push_back({entry.piece, 0});
    if (entry.type == SentencePieceType::kNormal || entry.type == SentencePieceType::kUserDefined) {
      joins = joins || JoinsIntoSpace(entry.piece);
    }
  }
  model->user_defined_ = PieceTrie::Build(user_defined);
  model->split_words_ = escape_whitespaces && !joins;
  model->cache_owner_ = next_cache_owner.fetch_add(1);
  return model;
}

void BpeModel::Encode(std::string_view normalized, std::vector<ModelToken>* tokens) const {
  if (!split_words_) {
    EncodeWord(normalized, 0, tokens);
    return;
  }
  // A word starts at each "▁" that follows another character.
  const size_t size = normalized.size();
  size_t word_start = 0;
  bool after_other = false;
  for (size_t pos = 0; pos < size;) {
    if (static_cast<uint8_t>(normalized[pos]) == 0xE2 && pos + 3 <= size &&
        normalized[pos + 1] == kSpaceSymbol[1] && normalized[pos + 2] == kSpaceSymbol[2]) {
      if (after_other) {
        EncodeCached(normalized.substr(word_start, pos - word_start), static_cast<uint32_t>(word_start),
                     tokens);
        word_start = pos;
      }
      after_other = false;
      pos += 3;
    } else {
      after_other = true;
      ++pos;
    }
  }
  if (word_start < size) {
    EncodeCached(normalized.substr(word_start), static_cast<uint32_t>(word_start), tokens);
  }
}

void BpeModel::EncodeCached(std::string_view word, uint32_t base, std::vector<ModelToken>* tokens) const {
  if (word.size() > hf::WordCache::kMaxWord) {
    EncodeWord(word, base, tokens);
    return;
  }
  hf::WordCache& cache = hf::WordCache::ForThread(cache_owner_);
  const uint64_t hash = hf::WordCache::Hash(word);
  uint32_t count = 0;
  ModelToken single{};
  if (const ModelToken* cached = cache.Find(word, hash, &count, &single)) {
    for (uint32_t i = 0; i < count; ++i) {
      tokens->push_back({cached[i].id, cached[i].begin + base, cached[i].end + base});
    }
    return;
  }
  const size_t first = tokens->size();
  EncodeWord(word, 0, tokens);
  cache.Insert(word, hash, tokens->data() + first, static_cast<uint32_t>(tokens->size() - first));
  for (size_t i = first; i < tokens->size(); ++i) {
    (*tokens)[i].begin += base;
    (*tokens)[i].end += base;
  }
}

void BpeModel::MergeByQueue(std::string_view word) const {
  std::vector<Symbol>& symbols = Symbols();
  thread_local std::vector<Candidate> agenda;
  agenda.clear();
  const auto consider = [&](int32_t left, int32_t right) {
    if (left < 0 || right < 0 || symbols[left].frozen || symbols[right].frozen) return;
    const uint32_t merged = symbols[left].size + symbols[right].size;
    const uint32_t id = vocab_.FindProducible(word.substr(symbols[left].begin, merged));
    if (id == RankTable::kNoRank) return;
    agenda.push_back({vocab_.score(id), left, right, merged});
    std::push_heap(agenda.begin(), agenda.end(), Before);
  };
  for (size_t i = 1; i < symbols.size(); ++i) consider(static_cast<int32_t>(i - 1), static_cast<int32_t>(i));
  while (!agenda.empty()) {
    std::pop_heap(agenda.begin(), agenda.end(), Before);
    const Candidate top = agenda.back();
    agenda.pop_back();
    Symbol& left = symbols[top.left];
    Symbol& right = symbols[top.right];
    // Stale: one side was merged away, or grew, since the candidate was pushed.
    if (left.size == 0 || right.size == 0 || left.size + right.size != top.size) continue;
    left.size = top.size;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.left;
    right.size = 0;
    consider(left.prev, top.left);
    consider(top.left, left.next);
  }
}

void BpeModel::MergeByScan(std::string_view word) const {
  std::vector<Symbol>& symbols = Symbols();
  // score[i]: the score of the piece symbol i and the next one make, if has_pair[i].
  std::array<float, kScanMax> score;
  std::array<bool, kScanMax> has_pair{};
  const auto pair_at = [&](int32_t left) {
    const int32_t right = symbols[left].next;
    has_pair[left] = false;
    if (right < 0 || symbols[left].frozen || symbols[right].frozen) return;
    const uint32_t id = vocab_.FindProducible(word.substr(symbols[left].begin, symbols[left].size + symbols[right].size));
    if (id == RankTable::kNoRank) return;
    has_pair[left] = true;
    score[left] = vocab_.score(id);
  };
  for (size_t i = 0; i + 1 < symbols.size(); ++i) pair_at(static_cast<int32_t>(i));
  while (true) {
    // The highest score; among equal ones the leftmost, as the queue orders them.
    int32_t best = -1;
    for (int32_t i = 0; i >= 0; i = symbols[i].next) {
      if (has_pair[i] && (best < 0 || score[i] > score[best])) best = i;
    }
    if (best < 0) return;
    Symbol& left = symbols[best];
    Symbol& right = symbols[left.next];
    left.size += right.size;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = best;
    right.size = 0;
    pair_at(best);
    if (left.prev >= 0) pair_at(left.prev);
  }
}

void BpeModel::EncodeWord(std::string_view word, uint32_t base, std::vector<ModelToken>* tokens) const {
  if (word.empty()) return;
  std::vector<Symbol>& symbols = Symbols();
  symbols.clear();
  const auto size = static_cast<uint32_t>(word.size());
  for (uint32_t pos = 0; pos < size;) {
    uint32_t length = 0;
    bool frozen = false;
    if (!user_defined_.empty()) {
      length = static_cast<uint32_t>(user_defined_.LongestPrefix(word.substr(pos)));
      frozen = length > 0;
    }
    if (length == 0) length = static_cast<uint32_t>(std::min<size_t>(OneCharLength(word[pos]), size - pos));
    const auto index = static_cast<int32_t>(symbols.size());
    symbols.push_back({pos, length, index - 1, pos + length < size ? index + 1 : -1, frozen});
    pos += length;
  }
  if (symbols.size() <= kScanMax) {
    MergeByScan(word);
  } else {
    MergeByQueue(word);
  }
  for (int32_t index = 0; index >= 0; index = symbols[index].next) {
    const Symbol& s = symbols[index];
    const uint32_t id = vocab_.PieceToId(word.substr(s.begin, s.size));
    tokens->push_back({id, base + s.begin, base + s.begin + s.size});
  }
}

}  // namespace tunepack::tokenize::spm
