#include "tokenize/hf/bpe_model.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <queue>

#include "tokenize/hf/byte_level.h"
#include "tokenize/hf/model_tables.h"
#include "tokenize/hf/vocab_entries.h"
#include "tokenize/unicode_props.h"

namespace tunepack::tokenize::hf {
namespace {

constexpr uint32_t kNone = RankTable::kNoRank;
constexpr std::string_view kMarker = "\xE2\x96\x81";  // U+2581, SentencePiece's word start

// Where a merge key sits: a multiply-shift hash (the high bits of the product, which
// depend on every key bit) picks the slot, and the eight bits below them the slot's tag
// (never 0, which marks an empty slot).
struct MergeProbe {
  uint64_t slot;
  uint8_t tag;
};
inline MergeProbe ProbeOf(uint64_t key, uint64_t mask) {
  const uint64_t product = key * 0x9E3779B97F4A7C15ull;
  const uint8_t low = static_cast<uint8_t>(product >> 32);
  return {(product >> 40) & mask, static_cast<uint8_t>(low == 0 ? 1 : low)};
}

// Returns the vocabulary entry `text` in the model's alphabet: raw bytes when byte-level.
bool ToModelBytes(std::string_view text, bool byte_level, std::string* out) {
  out->clear();
  if (!byte_level) {
    out->assign(text);
    return true;
  }
  return ByteLevelToBytes(text, out);
}

// Reads merge `rank` of a DOM "merges" array: a ["a", "b"] pair, or "a b" in older files.
Status ReadDomMerge(Json entry, size_t rank, std::string_view* a, std::string_view* b) {
  if (entry.is_string()) {
    const std::string_view text = entry.get_string().value_unsafe();
    if (!SplitMergeString(text, a, b)) {
      return InvalidArgumentError("merge \"" + std::string(text) + "\" is not two tokens");
    }
    return Status::Ok();
  }
  simdjson::dom::array pair;
  if (entry.get(pair) != simdjson::SUCCESS || pair.size() != 2 || pair.at(0).get(*a) != simdjson::SUCCESS ||
      pair.at(1).get(*b) != simdjson::SUCCESS) {
    return InvalidArgumentError("merge " + std::to_string(rank) + " is not a pair of strings");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<BpeModel>> BpeModel::Create(Json model, bool byte_level, const ModelTables* tables) {
  if (auto dropout = Field(model, "dropout")) {
    double value = 0;
    if (dropout->get(value) == simdjson::SUCCESS && value > 0 && value < 1) {
      return UnimplementedError("BPE dropout makes encoding random; it is not supported");
    }
  }
  // Every entry's bytes go into one arena (converted from the byte alphabet when
  // byte-level), then are laid out by id: no string per token. A later entry with the same
  // id replaces an earlier one.
  std::string arena;
  std::vector<std::pair<uint32_t, uint32_t>> span_of_id;  ///< (offset, length) in arena
  std::vector<std::pair<std::string, uint32_t>> unmapped;
  auto add_entry = [&](std::string_view token, uint32_t id) -> Status {
    if (id >= span_of_id.size()) span_of_id.resize(id + 1, {0, 0});
    // An entry outside the byte alphabet can never be produced from input bytes; it is
    // kept aside for added tokens and decoding.
    const size_t before = arena.size();
    if (!byte_level) {
      arena.append(token);
    } else if (!ByteLevelToBytes(token, &arena)) {
      arena.resize(before);
      unmapped.emplace_back(std::string(token), id);
      return Status::Ok();
    }
    span_of_id[id] = {static_cast<uint32_t>(before), static_cast<uint32_t>(arena.size() - before)};
    if (arena.size() > UINT32_MAX) return InvalidArgumentError("BPE vocab: too large");
    return Status::Ok();
  };
  if (tables != nullptr) {
    // The entries' bytes are at most their JSON text (escapes and the byte alphabet only
    // shorten them); ids are mostly dense.
    arena.reserve(tables->vocab.size());
    span_of_id.reserve(tables->vocab.size() / 8);
  }
  TP_ASSIGN_OR_RETURN(const size_t entry_count, tables != nullptr ? ForEachTableVocabEntry(*tables, add_entry)
                                                                  : ForEachVocabEntry(model, "BPE", add_entry));
  std::vector<uint32_t> offsets;
  offsets.reserve(span_of_id.size() + 1);
  std::vector<char> bytes;
  bytes.reserve(arena.size());
  for (const auto& [offset, length] : span_of_id) {
    offsets.push_back(static_cast<uint32_t>(bytes.size()));
    bytes.insert(bytes.end(), arena.data() + offset, arena.data() + offset + length);
  }
  offsets.push_back(static_cast<uint32_t>(bytes.size()));
  // The model looks tokens up through its own VocabIndex only, so the table is built
  // without an index of its own.
  auto vocab = RankTable::BuildById(std::move(offsets), std::move(bytes));
  if (!vocab.ok()) return vocab.error().WithContext("BPE vocab");
  std::unique_ptr<BpeModel> bpe(new BpeModel(std::move(*vocab)));
  auto index = VocabIndex::Build(bpe->vocab_);
  if (!index.ok()) return index.error().WithContext("BPE vocab");
  bpe->index_ = std::move(*index);
  bpe->entry_count_ = entry_count;
  bpe->unmapped_ = std::move(unmapped);
  bpe->byte_level_ = byte_level;
  bpe->byte_fallback_ = BoolOr(model, "byte_fallback", false);
  bpe->fuse_unk_ = BoolOr(model, "fuse_unk", false);
  bpe->ignore_merges_ = BoolOr(model, "ignore_merges", false);
  bpe->prefix_ = std::string(StringOr(model, "continuing_subword_prefix", ""));
  bpe->suffix_ = std::string(StringOr(model, "end_of_word_suffix", ""));
  if (byte_level && (!bpe->prefix_.empty() || !bpe->suffix_.empty())) {
    return UnimplementedError("byte-level BPE with continuing_subword_prefix or "
                              "end_of_word_suffix is not supported");
  }
  if (const std::string_view unk = StringOr(model, "unk_token", ""); !unk.empty()) {
    std::string unk_bytes;
    const uint32_t id = ToModelBytes(unk, byte_level, &unk_bytes) ? bpe->index_.Find(unk_bytes) : kNone;
    if (id == kNone) return InvalidArgumentError("unk_token \"" + std::string(unk) + "\" is not in the vocab");
    bpe->unk_id_ = id;
  }
  bpe->byte_fallback_ids_ = ByteFallbackIds([&](std::string_view name) { return bpe->index_.Find(name); });
  for (int c = 0; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    bpe->ascii_ids_[c] = bpe->index_.Find(std::string_view(&ch, 1));
  }
  if (!byte_level) {
    bpe->bmp_ids_.assign(0x10000, kNone);
    for (uint32_t id = 0; id < bpe->vocab_.size(); ++id) {
      const std::string_view token = bpe->vocab_.Token(id);
      if (token.size() != 2 && token.size() != 3) continue;
      const CodePoint cp = DecodeAt(token, 0);
      if (cp.length == token.size()) bpe->bmp_ids_[cp.value] = id;
    }
  }
  if (tables != nullptr) {
    if (byte_level && !CheckMergesUtf8(*tables)) return InvalidArgumentError("merges: not UTF-8");
    MergeReader reader(*tables);
    // A hint only (the arrays grow past it): a pair written on four lines takes 30-50 bytes.
    TP_RETURN_IF_ERROR(bpe->LoadMerges(tables->merges.size() / 32,
                                       [&](std::string_view* a, std::string_view* b) { return reader.Next(a, b); }));
  } else {
    Json merges_json;
    if (model.at_key("merges").get(merges_json) != simdjson::SUCCESS) {
      return InvalidArgumentError("a BPE model needs \"merges\"");
    }
    simdjson::dom::array merges;
    if (merges_json.get(merges) != simdjson::SUCCESS) return InvalidArgumentError("\"merges\" is not an array");
    auto next = merges.begin();
    size_t rank = 0;
    TP_RETURN_IF_ERROR(bpe->LoadMerges(merges.size(), [&](std::string_view* a, std::string_view* b) -> Result<bool> {
      if (rank == merges.size()) return false;
      const Json entry = *next;
      ++next;
      TP_RETURN_IF_ERROR(ReadDomMerge(entry, rank++, a, b));
      return true;
    }));
  }
  bpe->split_on_marker_ = !byte_level && !bpe->ignore_merges_ && bpe->prefix_.empty() &&
                          bpe->suffix_.empty() && bpe->index_.Find(kMarker) != kNone;
  return bpe;
}

template <typename NextMerge>
Status BpeModel::LoadMerges(size_t count_hint, NextMerge&& next_merge) {
  // Each merge's lookups of its two parts are hashed and their slots prefetched kAhead
  // merges before they are made, so that the cache misses of many merges overlap: the
  // lookups dominate loading a large vocabulary. A merge's bytes are read from the file's
  // text into one of kAhead reused buffers: nothing is kept per merge but its key.
  //
  // The merged token is not looked up when it is the token of the previous merge or the
  // token after it, which its bytes settle: files list merges by the id of their result
  // (one merge after another for Gemma 3's and Llama 3's tokens that several merges make),
  // so this holds for all but 0-0.03% of the merges of Gemma 3, Llama 3, Qwen3 and DeepSeek
  // V3, and a third of the random reads of the index are not made.
  constexpr size_t kAhead = 16;
  struct Pending {
    std::string bytes;  ///< left, right, then the merged token when it is not left + right
    size_t left = 0;    ///< length
    size_t right = 0;   ///< length
    size_t joined_at = 0;
    uint64_t hash[2] = {0, 0};
    std::string_view Left() const { return std::string_view(bytes).substr(0, left); }
    std::string_view Right() const { return std::string_view(bytes).substr(left, right); }
    std::string_view Joined() const { return std::string_view(bytes).substr(joined_at); }
  };
  std::array<Pending, kAhead> pending;
  size_t read_count = 0;
  bool ended = false;
  // Reads the next merge into pending[read_count % kAhead], or sets `ended`.
  auto read_merge = [&]() -> Status {
    std::string_view a, b;
    TP_ASSIGN_OR_RETURN(const bool read, next_merge(&a, &b));
    if (!read) {
      ended = true;
      return Status::Ok();
    }
    const size_t rank = read_count++;
    Pending& p = pending[rank % kAhead];
    p.bytes.clear();
    if (byte_level_) {
      if (!ByteLevelToBytes(a, &p.bytes)) return InvalidArgumentError("merge " + std::to_string(rank) + " is outside the byte alphabet");
      p.left = p.bytes.size();
      if (!ByteLevelToBytes(b, &p.bytes)) return InvalidArgumentError("merge " + std::to_string(rank) + " is outside the byte alphabet");
      p.right = p.bytes.size() - p.left;
    } else {
      p.bytes.append(a).append(b);
      p.left = a.size();
      p.right = b.size();
    }
    // The merged token drops the continuing_subword_prefix of the right part; without a
    // prefix it is the two parts as they lie in the buffer.
    const size_t drop = std::min(prefix_.size(), p.right);
    p.joined_at = 0;
    if (drop != 0) {
      p.joined_at = p.bytes.size();
      p.bytes.append(p.bytes, 0, p.left);
      p.bytes.append(p.bytes, p.left + drop, p.right - drop);
    }
    p.hash[0] = VocabIndex::HashOf(p.Left());
    p.hash[1] = VocabIndex::HashOf(p.Right());
    for (const uint64_t hash : p.hash) index_.PrefetchHashed(hash);
    return Status::Ok();
  };

  std::vector<uint64_t> keys;
  std::vector<uint32_t> new_ids;
  keys.reserve(count_hint);
  new_ids.reserve(count_hint);
  // Whether `id` is the token `bytes`, read from the vocabulary laid out by id (the ids
  // tried are next to the last one found: no cache miss).
  auto is_token = [&](uint32_t id, std::string_view bytes) { return id < vocab_.size() && vocab_.Token(id) == bytes; };
  uint32_t last_new_id = 0;
  while (!ended && read_count < kAhead) TP_RETURN_IF_ERROR(read_merge());
  for (size_t i = 0; i < read_count; ++i) {
    const Pending& p = pending[i % kAhead];
    const uint32_t left_id = index_.FindHashed(p.Left(), p.hash[0]);
    const uint32_t right_id = index_.FindHashed(p.Right(), p.hash[1]);
    if (left_id == kNone || right_id == kNone) {
      return InvalidArgumentError("merge " + std::to_string(i) + " (\"" + std::string(p.Left()) + "\" \"" +
                                  std::string(p.Right()) + "\") uses a token that is not in the vocab");
    }
    const std::string_view joined = p.Joined();
    const uint32_t new_id = is_token(last_new_id, joined)       ? last_new_id
                            : is_token(last_new_id + 1, joined) ? last_new_id + 1
                                                                : index_.Find(joined);
    if (new_id == kNone) {
      return InvalidArgumentError("merge " + std::to_string(i) + " gives a token not in the vocab");
    }
    last_new_id = new_id;
    new_ids.push_back(new_id);
    keys.push_back((uint64_t{left_id} << 32) | right_id);
    // Merge results with a word-start marker after another character stop SplitIndependent
    // from cutting there.
    for (size_t at = joined.find(kMarker, 1); at != std::string_view::npos; at = joined.find(kMarker, at + 1)) {
      if (at >= kMarker.size() && joined.compare(at - kMarker.size(), kMarker.size(), kMarker) == 0) continue;
      crossing_.emplace_back(std::string(joined), static_cast<uint32_t>(at));
    }
    // Its buffer is free now: read the merge kAhead places on into it.
    if (!ended) TP_RETURN_IF_ERROR(read_merge());
  }
  // Load factor between 1/3 and 2/3. The tags alone mark the empty slots: the 16 MB of
  // Gemma 3's slots are left as the allocator gives them (not written twice) and a slot is
  // read only once its tag says it was written.
  const size_t count = keys.size();
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(16, uint64_t{count} * 3 / 2));
  merge_slots_.reset(new MergeSlot[capacity]);
  merge_tags_.assign(capacity, 0);
  merge_mask_ = capacity - 1;
  for (size_t i = 0; i < count; ++i) {
    if (i + kAhead < count) __builtin_prefetch(&merge_slots_[ProbeOf(keys[i + kAhead], merge_mask_).slot]);
    const uint64_t key = keys[i];
    const MergeProbe probe = ProbeOf(key, merge_mask_);
    for (uint64_t slot = probe.slot;; slot = (slot + 1) & merge_mask_) {
      // A pair listed twice keeps its later index, as a map built from the list would.
      MergeSlot& entry = merge_slots_[slot];
      if (merge_tags_[slot] == 0 || entry.key == key) {
        entry = {key, (uint64_t{i} << 32) | new_ids[i]};
        merge_tags_[slot] = probe.tag;
        break;
      }
    }
  }
  return Status::Ok();
}

uint32_t BpeModel::TokenToId(std::string_view content) const {
  std::string bytes;
  if (ToModelBytes(content, byte_level_, &bytes)) return index_.Find(bytes);
  for (const auto& [key, id] : unmapped_) {
    if (key == content) return id;
  }
  return kNone;
}

const std::string* BpeModel::UnmappedToken(uint32_t id) const {
  for (const auto& [key, key_id] : unmapped_) {
    if (key_id == id) return &key;
  }
  return nullptr;
}

void BpeModel::PrefetchMerge(uint32_t left, uint32_t right) const {
  const uint64_t slot = ProbeOf((uint64_t{left} << 32) | right, merge_mask_).slot;
  __builtin_prefetch(&merge_tags_[slot]);
  __builtin_prefetch(&merge_slots_[slot]);
}

// The tags settle most probes for a pair that is no merge (about half of the probes of a
// word) in a table of one byte a slot, without touching the 16-byte slots.
uint32_t BpeModel::FindMerge(uint32_t left, uint32_t right, uint32_t* new_id) const {
  const uint64_t key = (uint64_t{left} << 32) | right;
  const MergeProbe probe = ProbeOf(key, merge_mask_);
  for (uint64_t slot = probe.slot;; slot = (slot + 1) & merge_mask_) {
    const uint8_t tag = merge_tags_[slot];
    if (tag == 0) return kNone;
    if (tag == probe.tag) {
      const MergeSlot& entry = merge_slots_[slot];
      if (entry.key == key) {
        *new_id = static_cast<uint32_t>(entry.value);
        return static_cast<uint32_t>(entry.value >> 32);
      }
    }
  }
}

void BpeModel::SplitIndependent(std::string_view word, std::vector<Piece>* parts) const {
  uint32_t start = 0;
  if (split_on_marker_) {
    for (size_t at = word.find(kMarker, 1); at != std::string_view::npos;
         at = word.find(kMarker, at + kMarker.size())) {
      if (at >= kMarker.size() && word.compare(at - kMarker.size(), kMarker.size(), kMarker) == 0) continue;
      bool crossed = false;
      for (const auto& [token, offset] : crossing_) {
        if (at >= offset && word.compare(at - offset, token.size(), token) == 0) {
          crossed = true;
          break;
        }
      }
      if (crossed) continue;
      parts->push_back({start, static_cast<uint32_t>(at)});
      start = static_cast<uint32_t>(at);
    }
  }
  parts->push_back({start, static_cast<uint32_t>(word.size())});
}

// Hugging Face's BPE::merge_word: one symbol per character (per byte when byte-level), an
// unknown character becomes its <0xNN> bytes with byte_fallback, otherwise unk (fused with
// the unknowns before it under fuse_unk).
void BpeModel::InitialSymbols(std::string_view word, std::vector<ModelToken>* symbols) const {
  std::optional<ModelToken> unk;
  std::string affixed;
  const bool plain = prefix_.empty() && suffix_.empty();
  for (uint32_t pos = 0; pos < word.size();) {
    const CodePoint cp = byte_level_ ? CodePoint{0, 1} : DecodeAt(word, pos);
    const uint32_t length = cp.length;
    const uint32_t end = pos + length;
    uint32_t id;
    const unsigned char first = static_cast<unsigned char>(word[pos]);
    if (plain) {
      id = length == 1 && first < 0x80 ? ascii_ids_[first]
           : length == 1               ? vocab_.ByteRank(first)
           : length <= 3               ? bmp_ids_[cp.value]
                                       : index_.Find(word.substr(pos, length));
    } else {
      affixed.clear();
      if (pos != 0) affixed += prefix_;
      affixed.append(word.substr(pos, length));
      if (end == word.size()) affixed += suffix_;
      id = index_.Find(affixed);
    }
    if (id != kNone) {
      if (unk) {
        symbols->push_back(*unk);
        unk.reset();
      }
      symbols->push_back({id, pos, end});
      pos = end;
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (uint32_t i = pos; i < end; ++i) all = all && byte_fallback_ids_[static_cast<unsigned char>(word[i])] != kNone;
      if (all) {
        // As in Hugging Face, a pending unk is not flushed before the fallback bytes.
        for (uint32_t i = pos; i < end; ++i) {
          symbols->push_back({byte_fallback_ids_[static_cast<unsigned char>(word[i])], i, i + 1});
        }
        pos = end;
        continue;
      }
    }
    if (unk_id_) {
      if (unk && fuse_unk_) {
        unk->end = end;
      } else {
        if (unk) symbols->push_back(*unk);
        unk = ModelToken{*unk_id_, pos, end};
      }
    }
    pos = end;
  }
  if (unk) symbols->push_back(*unk);
}

void BpeModel::Merge(std::vector<ModelToken>* symbols) const {
  if (symbols->size() <= kLinearMergeMax) {
    MergeLinear(symbols);
  } else {
    MergeHeap(symbols);
  }
}

// Hugging Face's order without its heap: at each step the pair of lowest rank, the leftmost
// among equals, is found by scanning the ranks of the adjacent pairs (the heap's (rank,
// position) minimum over the current pairs is the same pair). The ranks of the pairs are
// looked up together first, so that their cache misses overlap.
void BpeModel::MergeLinear(std::vector<ModelToken>* symbols) const {
  std::vector<ModelToken>& s = *symbols;
  size_t n = s.size();
  if (n < 2) return;
  uint32_t rank[kLinearMergeMax];
  uint32_t merged[kLinearMergeMax];
  for (size_t i = 0; i + 1 < n; ++i) PrefetchMerge(s[i].id, s[i + 1].id);
  for (size_t i = 0; i + 1 < n; ++i) rank[i] = FindMerge(s[i].id, s[i + 1].id, &merged[i]);
  rank[n - 1] = kNone;  // no pair starts at the last symbol
  while (n > 1) {
    uint32_t best = kNone;
    size_t at = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (rank[i] < best) {
        best = rank[i];
        at = i;
      }
    }
    if (best == kNone) break;
    s[at].id = merged[at];
    s[at].end = s[at + 1].end;
    // The merges of the two pairs around the new symbol are probed below; started here,
    // their cache misses (a 16 MB table for Gemma 3) overlap each other and the removal.
    if (at + 2 < n) PrefetchMerge(s[at].id, s[at + 2].id);
    if (at > 0) PrefetchMerge(s[at - 1].id, s[at].id);
    // Remove symbol at+1 and the pair it started.
    for (size_t i = at + 1; i + 1 < n; ++i) {
      s[i] = s[i + 1];
      rank[i] = rank[i + 1];
      merged[i] = merged[i + 1];
    }
    --n;
    if (at + 1 < n) rank[at] = FindMerge(s[at].id, s[at + 1].id, &merged[at]);
    if (at > 0) rank[at - 1] = FindMerge(s[at - 1].id, s[at].id, &merged[at - 1]);
  }
  s.resize(n);
}

// Hugging Face's Word::merge_all: a heap of (rank, position) over adjacent pairs; entries
// made stale by an earlier merge are skipped when popped. pair_rank[p] and pair_new[p] hold
// the merge of the pair that now starts at p, so a popped entry is current exactly when its
// rank is still pair_rank[p] (each pair has one rank), and merging needs no lookup.
void BpeModel::MergeHeap(std::vector<ModelToken>* symbols) const {
  const size_t n = symbols->size();
  if (n < 2) return;
  thread_local std::vector<uint32_t> next, prev, pair_rank, pair_new;
  thread_local std::vector<uint64_t> heap;
  next.resize(n);
  prev.resize(n);
  pair_rank.resize(n);
  pair_new.resize(n);
  heap.clear();
  constexpr uint32_t kEnd = UINT32_MAX;
  std::vector<ModelToken>& s = *symbols;
  for (uint32_t i = 0; i < n; ++i) {
    next[i] = i + 1 < n ? i + 1 : kEnd;
    prev[i] = i == 0 ? kEnd : i - 1;
    pair_rank[i] = i + 1 < n ? FindMerge(s[i].id, s[i + 1].id, &pair_new[i]) : kNone;
    if (pair_rank[i] != kNone) heap.push_back((uint64_t{pair_rank[i]} << 32) | i);
  }
  const auto greater = std::greater<uint64_t>();
  std::make_heap(heap.begin(), heap.end(), greater);
  auto refresh = [&](uint32_t p) {
    pair_rank[p] = next[p] != kEnd ? FindMerge(s[p].id, s[next[p]].id, &pair_new[p]) : kNone;
    if (pair_rank[p] != kNone) {
      heap.push_back((uint64_t{pair_rank[p]} << 32) | p);
      std::push_heap(heap.begin(), heap.end(), greater);
    }
  };
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), greater);
    const uint64_t top = heap.back();
    heap.pop_back();
    const uint32_t rank = static_cast<uint32_t>(top >> 32);
    const uint32_t pos = static_cast<uint32_t>(top);
    if (s[pos].end == s[pos].begin || pair_rank[pos] != rank) continue;  // removed or stale
    const uint32_t right = next[pos];
    s[pos].id = pair_new[pos];
    s[pos].end = s[right].end;
    s[right].end = s[right].begin;  // removed
    pair_rank[right] = kNone;
    next[pos] = next[right];
    if (next[pos] != kEnd) prev[next[pos]] = pos;
    // As in MergeLinear: both probes started before either is read.
    if (next[pos] != kEnd) PrefetchMerge(s[pos].id, s[next[pos]].id);
    if (prev[pos] != kEnd) PrefetchMerge(s[prev[pos]].id, s[pos].id);
    if (prev[pos] != kEnd) refresh(prev[pos]);
    refresh(pos);
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i].end != s[i].begin) s[kept++] = s[i];
  }
  s.resize(kept);
}

void BpeModel::Encode(std::string_view word, std::vector<ModelToken>* tokens) const {
  if (ignore_merges_) {
    const uint32_t whole = index_.Find(word);
    if (whole != kNone) {
      tokens->push_back({whole, 0, static_cast<uint32_t>(word.size())});
      return;
    }
  }
  thread_local std::vector<ModelToken> symbols;
  symbols.clear();
  InitialSymbols(word, &symbols);
  Merge(&symbols);
  tokens->insert(tokens->end(), symbols.begin(), symbols.end());
}

}  // namespace tunepack::tokenize::hf
