#include "tokenize/tiktoken/rank_table.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <bit>

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

// Empty indexes (Find answers kNoRank, safely) and the one-byte ranks.
void RankTable::IndexBytesOnly() {
  slots_.assign(16, 0);
  mask_ = 15;
  short_slots_.assign(16, ShortSlot{0, 0, 0});
  short_tags_.assign(16, 0);
  short_mask_ = 15;
  medium_slots_.assign(16, MediumSlot{0, 0, 0, 0});
  medium_tags_.assign(16, 0);
  medium_mask_ = 15;
  pair_ranks_.assign(size_t{1} << 16, kNoRank);
  byte_ranks_.fill(kNoRank);
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
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  // The short tokens' index may be 2/3 full: its one-byte tags settle most probes, and at
  // half full it was 8 MB of slots for o200k_base, twice what the encode loop keeps warm.
  const uint64_t short_capacity = std::bit_ceil(std::max<uint64_t>(16, short_count * 3 / 2));
  short_slots_.assign(short_capacity, ShortSlot{0, 0, 0});
  short_tags_.assign(short_capacity, 0);
  short_mask_ = short_capacity - 1;
  const uint64_t medium_capacity = std::bit_ceil(std::max<uint64_t>(16, medium_count * 3 / 2));
  medium_slots_.assign(medium_capacity, MediumSlot{0, 0, 0, 0});
  medium_tags_.assign(medium_capacity, 0);
  medium_mask_ = medium_capacity - 1;
  byte_ranks_.fill(kNoRank);
  pair_ranks_.assign(size_t{1} << 16, kNoRank);
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
      short_slots_[slot] = {key, rank + 1, static_cast<uint32_t>(token.size())};
      short_tags_[slot] = ShortTag(product);
      if (token.size() == 1) byte_ranks_[static_cast<uint8_t>(token[0])] = rank;
      if (token.size() == 2) {
        pair_ranks_[static_cast<uint8_t>(token[0]) | (static_cast<uint8_t>(token[1]) << 8)] = rank;
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
      medium_slots_[slot] = {first, last, rank + 1, static_cast<uint32_t>(token.size())};
      medium_tags_[slot] = ShortTag(product);
      continue;
    }
    const uint64_t hash = HashBytes(token);
    const uint64_t tag = hash >> 32;
    for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const uint64_t entry = slots_[slot];
      if (entry == 0) {
        slots_[slot] = (tag << 32) | (uint64_t{rank} + 1);
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
