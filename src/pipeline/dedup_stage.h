// The stages of a sharded deduplication (docs/scale-out.md, "Deduplication in stages"):
//   1. signatures: each rank (export --shard I/N --dedup MODE, no plan) writes, beside its
//      part, the exact key and MinHash signature of every example it would write, in order
//      (kSignatureFile; SignatureWriter).
//   2. plan: one process (tunepack dedup-plan) replays every rank's signatures through the
//      dedupers in the single-machine order, exactly as one export decides, and writes the
//      verdicts: which candidate of which rank is a duplicate of what (BuildDedupPlan).
//   3. filter: each rank runs again with --dedup-plan FILE: the n-th example it would write
//      takes the plan's verdict instead of a deduper's (DedupPlan), so the same records are
//      dropped with the same "duplicate of" as on one machine; then tunepack merge.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "pipeline/work.h"
#include "tunepack/core/result.h"
#include "tunepack/io/file.h"

namespace tunepack::pipeline {

inline constexpr const char* kSignatureFile = "dedup-signatures.bin";

// A kept example's id for dedup verdicts: the input (its index in the whole input list) in
// the high bits, the record below.
inline constexpr int kDedupSourceShift = 40;
inline uint64_t DedupId(uint64_t source_index, uint64_t record) {
  return (source_index << kDedupSourceShift) | record;
}

// Appends candidates to a rank's signature file (stage 1).
class SignatureWriter {
 public:
  // Creates `path`, or reopens it truncated to `resume_size` (from a checkpoint).
  static Result<std::unique_ptr<SignatureWriter>> Open(const std::string& path, int64_t resume_size);
  Status Append(uint64_t source_index, uint64_t record, const UnitOutcome& outcome);
  Status Sync() { return file_->Sync(); }
  Status Close() { return file_->Close(); }
  uint64_t size() const { return file_->size(); }

 private:
  explicit SignatureWriter(std::unique_ptr<io::AppendFile> file) : file_(std::move(file)) {}
  std::unique_ptr<io::AppendFile> file_;
};

// One rank's verdicts from a plan (stage 3), by candidate number.
class DedupPlan {
 public:
  // Loads the verdicts of rank `rank` from `path`, checking the plan was made for the run
  // with options `unsharded_options_json` and input listing `listing_hex`.
  static Result<DedupPlan> Load(const std::string& path, uint32_t rank, const std::string& unsharded_options_json,
                                const std::string& listing_hex);
  // The rejection of candidate `number` (at `origin`), or nullopt when it is kept.
  std::optional<Rejection> Verdict(uint64_t number, const Origin& origin) const;

 private:
  std::unordered_map<uint64_t, std::pair<bool, std::string>> dropped_;  ///< near?, detail
};

}  // namespace tunepack::pipeline
