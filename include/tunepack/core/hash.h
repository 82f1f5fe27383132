// Content hashing: 128-bit XXH3, used for content hashes in metadata and the manifest, exact
// deduplication and the deterministic train/validation split.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tunepack {

// Hash128: a 128-bit hash value.
struct Hash128 {
  uint64_t high = 0;
  uint64_t low = 0;

  // Returns 32 lower-case hex digits, high half first.
  std::string Hex() const;
  friend bool operator==(const Hash128&, const Hash128&) = default;
  friend auto operator<=>(const Hash128&, const Hash128&) = default;
};

// Returns the XXH3-128 hash of `data`.
Hash128 HashBytes(std::string_view data);

// Returns the XXH3-64 hash of `data`.
uint64_t Hash64(std::string_view data);

// StreamingHasher: XXH3-128 over data fed in pieces; equals HashBytes of the concatenation.
class StreamingHasher {
 public:
  StreamingHasher();
  ~StreamingHasher();
  StreamingHasher(const StreamingHasher&) = delete;
  StreamingHasher& operator=(const StreamingHasher&) = delete;

  void Update(std::string_view data);
  Hash128 Digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tunepack
