// ExactDeduper: drops records whose normalised text equals an earlier record's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "tunepack/core/hash.h"
#include "tunepack/dedup/text_key.h"

namespace tunepack::dedup {

// Verdict: the decision for one record fed to a deduper.
struct Verdict {
  bool duplicate = false;
  // When `duplicate`: the id of the kept record this one duplicates (the first occurrence
  // of its cluster), as the caller passed it to Insert.
  uint64_t kept_id = 0;
  // Near dedup only: the Jaccard similarity behind the decision (estimated from the
  // signature, or exact when verification is exact); 1.0 for exact duplicates.
  double similarity = 1.0;
};

// ExactDeduper keeps the first record with each key and reports every later record with
// the same key as a duplicate of it.
//
// The work is split so a pipeline can run it in parallel and still decide in input order:
// Key() is const and thread-safe (call it in worker threads); Insert() must be called from
// one thread, in input order, and is what makes the result deterministic.
//
// Memory: one hash-table entry per distinct key, about 50 bytes (16-byte key, 8-byte id,
// node and bucket overhead), so 10 million distinct records take about 0.5 GB.
//
// Example:
//   ExactDeduper dedup({.fold_case = true});
//   Verdict v = dedup.Insert(dedup.Key(text), record_index);
//   if (v.duplicate) ledger.Drop(record_index, "duplicate of", v.kept_id);
class ExactDeduper {
 public:
  explicit ExactDeduper(ExactKeyOptions options = {}) : options_(options) {}

  // Returns the key of `text` under this deduper's options. Thread-safe.
  Hash128 Key(std::string_view text) const { return ExactKey(text, options_); }

  // Records `key` for the record `id` and returns whether an earlier record had it. Ids
  // are the caller's (ledger index, line number...); they need not be dense.
  Verdict Insert(const Hash128& key, uint64_t id);

  // Returns the number of distinct keys seen.
  size_t size() const { return first_id_.size(); }
  const ExactKeyOptions& options() const { return options_; }

 private:
  struct KeyHash {
    size_t operator()(const Hash128& h) const { return static_cast<size_t>(h.low ^ h.high); }
  };
  ExactKeyOptions options_;
  std::unordered_map<Hash128, uint64_t, KeyHash> first_id_;
};

}  // namespace tunepack::dedup
