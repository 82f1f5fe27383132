#include "tokenize/tiktoken/rank_table.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <type_traits>

namespace tunepack::tokenize {
namespace {

inline uint64_t HashBytes(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

}  // namespace

Result<RankTable> RankTable::Build(std::vector<std::string> tokens) {
  RankTable table;
  table.owned_offsets_.reserve(tokens.size() + 1);
  size_t total = 0;
  for (const std::string& token : tokens) total += token.size();
  if (total > UINT32_MAX) return InvalidArgumentError("vocabulary too large");
  table.owned_bytes_.reserve(total);
  table.owned_offsets_.push_back(0);
  for (const std::string& token : tokens) {
    table.owned_bytes_.insert(table.owned_bytes_.end(), token.begin(), token.end());
    table.owned_offsets_.push_back(static_cast<uint32_t>(table.owned_bytes_.size()));
  }
  table.offsets_ = table.owned_offsets_;
  table.bytes_ = std::string_view(table.owned_bytes_.data(), table.owned_bytes_.size());
  TP_RETURN_IF_ERROR(table.Index());
  return table;
}

Result<RankTable> RankTable::BuildOver(std::span<const uint32_t> offsets, std::string_view bytes) {
  if (offsets.empty() || offsets.back() != bytes.size()) {
    return InvalidArgumentError("rank table offsets do not match its bytes");
  }
  RankTable table;
  table.offsets_ = offsets;
  table.bytes_ = bytes;
  TP_RETURN_IF_ERROR(table.Index());
  return table;
}

// The index as AppendIndex writes it: the three capacities (u64), then byte_ranks_,
// pair_ranks_, the short, medium and long slots, the short and the medium tags, each
// starting at a multiple of 8 (every table before the tags is a multiple of 8 bytes long).
void RankTable::AppendIndex(std::string& out) const {
  const auto append = [&out](const auto& table) {
    out.append(reinterpret_cast<const char*>(table.data()), table.size() * sizeof(table[0]));
  };
  const uint64_t capacities[3] = {slots_.size(), short_slots_.size(), medium_slots_.size()};
  out.append(reinterpret_cast<const char*>(capacities), sizeof(capacities));
  append(byte_ranks_);
  append(pair_ranks_);
  append(short_slots_);
  append(medium_slots_);
  append(slots_);
  append(short_tags_);
  append(medium_tags_);
}

Result<RankTable> RankTable::BuildOverIndex(std::span<const uint32_t> offsets, std::string_view bytes,
                                            std::string_view index) {
  const Status corrupt = InvalidArgumentError("rank table index does not match its tokens");
  if (offsets.empty() || offsets.back() != bytes.size()) {
    return InvalidArgumentError("rank table offsets do not match its bytes");
  }
  uint64_t capacities[3];
  if (index.size() < sizeof(capacities) || reinterpret_cast<uintptr_t>(index.data()) % 8 != 0) return corrupt;
  std::memcpy(capacities, index.data(), sizeof(capacities));
  for (const uint64_t capacity : capacities) {
    if (capacity < 16 || !std::has_single_bit(capacity) || capacity > (uint64_t{1} << 32)) return corrupt;
  }
  size_t at = sizeof(capacities);
  // Points `table` at the next `count` elements of the index; false when they run past it.
  const auto take = [&index, &at](auto& table, size_t count) {
    using Element = typename std::remove_reference_t<decltype(table)>::element_type;
    if (count > (index.size() - at) / sizeof(Element)) return false;
    table = {reinterpret_cast<const Element*>(index.data() + at), count};
    at += count * sizeof(Element);
    return true;
  };
  RankTable table;
  table.offsets_ = offsets;
  table.bytes_ = bytes;
  std::span<const uint32_t> byte_ranks;
  if (!take(byte_ranks, table.byte_ranks_.size()) || !take(table.pair_ranks_, size_t{1} << 16) ||
      !take(table.short_slots_, capacities[1]) || !take(table.medium_slots_, capacities[2]) ||
      !take(table.slots_, capacities[0]) || !take(table.short_tags_, capacities[1]) ||
      !take(table.medium_tags_, capacities[2]) || at != index.size()) {
    return corrupt;
  }
  std::copy(byte_ranks.begin(), byte_ranks.end(), table.byte_ranks_.begin());
  table.mask_ = capacities[0] - 1;
  table.short_mask_ = capacities[1] - 1;
  table.medium_mask_ = capacities[2] - 1;
  return table;
}

Result<RankTable> RankTable::BuildById(std::vector<uint32_t> offsets, std::vector<char> bytes) {
  if (offsets.empty() || offsets.back() != bytes.size()) {
    return InvalidArgumentError("rank table offsets do not match its bytes");
  }
  RankTable table;
  table.owned_offsets_ = std::move(offsets);
  table.owned_bytes_ = std::move(bytes);
  table.offsets_ = table.owned_offsets_;
  table.bytes_ = std::string_view(table.owned_bytes_.data(), table.owned_bytes_.size());
  for (uint32_t rank = 0; rank < table.size(); ++rank) {
    if (table.offsets_[rank] > table.offsets_[rank + 1]) return InvalidArgumentError("rank table offsets decrease");
  }
  table.IndexBytesOnly();
  return table;
}

void RankTable::AllocateIndex(uint64_t long_capacity, uint64_t short_capacity, uint64_t medium_capacity) {
  owned_.slots.assign(long_capacity, 0);
  owned_.short_slots.assign(short_capacity, ShortSlot{0, 0, 0});
  owned_.short_tags.assign(short_capacity, 0);
  owned_.medium_slots.assign(medium_capacity, MediumSlot{0, 0, 0, 0});
  owned_.medium_tags.assign(medium_capacity, 0);
  owned_.pair_ranks.assign(size_t{1} << 16, kNoRank);
  slots_ = owned_.slots;
  mask_ = long_capacity - 1;
  short_slots_ = owned_.short_slots;
  short_tags_ = owned_.short_tags;
  short_mask_ = short_capacity - 1;
  medium_slots_ = owned_.medium_slots;
  medium_tags_ = owned_.medium_tags;
  medium_mask_ = medium_capacity - 1;
  pair_ranks_ = owned_.pair_ranks;
  byte_ranks_.fill(kNoRank);
}

// Empty indexes (Find answers kNoRank, safely) and the one-byte ranks.
void RankTable::IndexBytesOnly() {
  AllocateIndex(16, 16, 16);
  for (uint32_t rank = 0; rank < size(); ++rank) {
    if (offsets_[rank + 1] - offsets_[rank] == 1) byte_ranks_[static_cast<uint8_t>(bytes_[offsets_[rank]])] = rank;
  }
}

Status RankTable::Index() {
  const uint32_t count = size();
  uint64_t short_count = 0;
  uint64_t medium_count = 0;
  for (uint32_t rank = 0; rank < count; ++rank) {
    if (offsets_[rank] > offsets_[rank + 1]) return InvalidArgumentError("rank table offsets decrease");
    const uint32_t length = offsets_[rank + 1] - offsets_[rank];
    if (length != 0 && length <= kShortMax) ++short_count;
    if (length > kShortMax && length <= kMediumMax) ++medium_count;
  }
  // Load factor at most 1/2 keeps probe sequences short.
  const uint64_t capacity = std::bit_ceil(std::max<uint64_t>(16, (uint64_t{count} - short_count - medium_count) * 2));
  // The short tokens' index may be 2/3 full: its one-byte tags settle most probes, and at
  // half full it was 8 MB of slots for o200k_base, twice what the encode loop keeps warm.
  const uint64_t short_capacity = std::bit_ceil(std::max<uint64_t>(16, short_count * 3 / 2));
  const uint64_t medium_capacity = std::bit_ceil(std::max<uint64_t>(16, medium_count * 3 / 2));
  AllocateIndex(capacity, short_capacity, medium_capacity);
  for (uint32_t rank = 0; rank < count; ++rank) {
    const std::string_view token = Token(rank);
    if (token.empty()) continue;
    if (token.size() <= kShortMax) {
      if (FindShort(token) != kNoRank) {
        return InvalidArgumentError("two ranks share the same bytes (rank " + std::to_string(rank) + ")");
      }
      const uint64_t key = PackShort(token.data(), token.size());
      const uint64_t product = ShortProduct(key, token.size());
      uint64_t slot = (product >> 21) & short_mask_;
      while (short_tags_[slot] != 0) slot = (slot + 1) & short_mask_;
      owned_.short_slots[slot] = {key, rank + 1, static_cast<uint32_t>(token.size())};
      owned_.short_tags[slot] = ShortTag(product);
      if (token.size() == 1) byte_ranks_[static_cast<uint8_t>(token[0])] = rank;
      if (token.size() == 2) {
        owned_.pair_ranks[static_cast<uint8_t>(token[0]) | (static_cast<uint8_t>(token[1]) << 8)] = rank;
      }
      continue;
    }
    if (token.size() <= kMediumMax) {
      if (FindMedium(token) != kNoRank) {
        return InvalidArgumentError("two ranks share the same bytes (rank " + std::to_string(rank) + ")");
      }
      uint64_t first, last;
      std::memcpy(&first, token.data(), 8);
      std::memcpy(&last, token.data() + token.size() - 8, 8);
      const uint64_t product = MediumProduct(first, last, token.size());
      uint64_t slot = (product >> 21) & medium_mask_;
      while (medium_tags_[slot] != 0) slot = (slot + 1) & medium_mask_;
      owned_.medium_slots[slot] = {first, last, rank + 1, static_cast<uint32_t>(token.size())};
      owned_.medium_tags[slot] = ShortTag(product);
      continue;
    }
    const uint64_t hash = HashBytes(token);
    const uint64_t tag = hash >> 32;
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t entry = slots_[slot];
      if (entry == 0) {
        owned_.slots[slot] = (tag << 32) | (uint64_t{rank} + 1);
        break;
      }
      if ((entry >> 32) == tag && Token(static_cast<uint32_t>(entry) - 1) == token) {
        return InvalidArgumentError("two ranks share the same bytes (rank " +
                                    std::to_string(rank) + ")");
      }
    }
  }
  return Status::Ok();
}

// The probe is FindShort's, written out again: a template shared by the two made Find too
// large to be inlined into the merge and encode loops (Find then took 23% of the samples).
uint32_t RankTable::FindMedium(std::string_view bytes) const {
  uint64_t first, last;
  std::memcpy(&first, bytes.data(), 8);
  std::memcpy(&last, bytes.data() + bytes.size() - 8, 8);
  const uint32_t length = static_cast<uint32_t>(bytes.size());
  const uint64_t product = MediumProduct(first, last, bytes.size());
  const uint8_t tag = ShortTag(product);
  for (uint64_t slot = (product >> 21) & medium_mask_;; slot = (slot + 1) & medium_mask_) {
    const uint8_t slot_tag = medium_tags_[slot];
    if (slot_tag == 0) return kNoRank;
    if (slot_tag == tag) {
      const MediumSlot& s = medium_slots_[slot];
      if (s.first == first && s.last == last && s.length == length) return s.rank_plus_one - 1;
    }
  }
}

uint32_t RankTable::FindLong(std::string_view bytes) const {
  const uint64_t hash = HashBytes(bytes);
  const uint64_t tag = hash >> 32;
  for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
    const uint64_t entry = slots_[slot];
    if (entry == 0) return kNoRank;
    if ((entry >> 32) == tag) {
      const uint32_t rank = static_cast<uint32_t>(entry) - 1;
      if (Token(rank) == bytes) return rank;
    }
  }
}

}  // namespace tunepack::tokenize
