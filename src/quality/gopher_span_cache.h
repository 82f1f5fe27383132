// GopherSpanCache: the word splitter's result for recently seen white-space-free spans. The
// splitting of a span depends on its characters alone (every rule looks only inside the
// span), so a span met again gets the tokens it got before, found by comparing its bytes in
// full. Words recur in any text, and most of them pass through several affix and special-
// case rules before they come out whole.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace tunepack::quality {

class GopherSpanCache {
 public:
  // Spans of up to this many bytes, split into up to kMaxTokens tokens, are kept.
  static constexpr size_t kMaxBytes = 24;
  static constexpr size_t kMaxTokens = 12;

  // When `bytes` is cached, appends its tokens (code point ranges, shifted by `first_cp`,
  // the span's first code point in the document) and returns true.
  bool Find(std::string_view bytes, size_t first_cp, std::vector<std::pair<size_t, size_t>>* out) const {
    if (bytes.size() > kMaxBytes || bytes.empty()) return false;
    const Slot& slot = slots_[SlotOf(bytes)];
    if (slot.length != bytes.size() || std::memcmp(slot.bytes, bytes.data(), bytes.size()) != 0) return false;
    for (size_t i = 0; i < slot.count; ++i) out->emplace_back(first_cp + slot.begins[i], first_cp + slot.ends[i]);
    return true;
  }

  // Remembers the tokens of `bytes`: tokens[k] are code point ranges shifted by `first_cp`.
  void Store(std::string_view bytes, size_t first_cp, const std::pair<size_t, size_t>* tokens, size_t count) {
    if (bytes.size() > kMaxBytes || bytes.empty() || count > kMaxTokens) return;
    Slot& slot = slots_[SlotOf(bytes)];
    slot.length = static_cast<uint8_t>(bytes.size());
    slot.count = static_cast<uint8_t>(count);
    std::memcpy(slot.bytes, bytes.data(), bytes.size());
    for (size_t i = 0; i < count; ++i) {
      slot.begins[i] = static_cast<uint8_t>(tokens[i].first - first_cp);
      slot.ends[i] = static_cast<uint8_t>(tokens[i].second - first_cp);
    }
  }

 private:
  static constexpr size_t kSlots = size_t{1} << 13;  // 400 KB
  struct Slot {
    uint8_t length = 0;  ///< 0: empty
    uint8_t count = 0;
    char bytes[kMaxBytes];
    uint8_t begins[kMaxTokens];
    uint8_t ends[kMaxTokens];
  };
  // A hash of the first and last (up to) eight bytes and the length: enough to spread words.
  static size_t SlotOf(std::string_view bytes) {
    uint64_t head = 0, tail = 0;
    const size_t n = bytes.size() < 8 ? bytes.size() : 8;
    std::memcpy(&head, bytes.data(), n);
    std::memcpy(&tail, bytes.data() + bytes.size() - n, n);
    const uint64_t mixed = (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ bytes.size()) * 0xBF58476D1CE4E5B9ull;
    return static_cast<size_t>(mixed >> 51) & (kSlots - 1);
  }
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

}  // namespace tunepack::quality
