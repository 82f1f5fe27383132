// NearDeduper: streaming near-duplicate removal with MinHash and LSH banding.
#pragma once

#include "tunepack/core/enum_table.h"
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/dedup/minhash.h"

namespace tunepack::dedup {

// Verification: what a candidate pair from LSH must pass before it counts as a duplicate.
enum class Verification {
  kNone,       ///< any shared band is a duplicate (least memory; precision follows the S-curve)
  kSignature,  ///< the fraction of equal MinHash values must reach the threshold
  kExact,      ///< the real Jaccard of the shingle sets must reach the threshold
};

// Parses "none", "signature" or "exact".
inline constexpr EnumTable<Verification, 3> kVerifications{
    "dedup-verification",
    {{{Verification::kNone, "none"}, {Verification::kSignature, "signature"},
      {Verification::kExact, "exact"}}}};
inline Result<Verification> ParseVerification(std::string_view name) { return kVerifications.Parse(name); }

// NearDedupOptions: --dedup-threshold and friends. Defaults follow datatrove (5-word
// shingles, seed 1) with 128 hashes.
struct NearDedupOptions {
  double threshold = 0.8;  ///< Jaccard similarity at or above which texts are duplicates
  int ngram = 5;           ///< words per shingle
  int num_hashes = 128;    ///< MinHash values per signature
  uint64_t seed = 1;
  int bands = 0;           ///< 0: chosen from the threshold (see ChooseLshParams)
  int rows = 0;            ///< 0: chosen from the threshold
  Verification verification = Verification::kExact;
};

// Signature: what NearDeduper needs of one text. Computed in worker threads.
struct Signature {
  std::vector<uint32_t> minhashes;  ///< num_hashes values; empty when the text has no words
  // kExact only: the sorted distinct shingles, as their top 32 bits. Two sets of a
  // thousand shingles share a false 32-bit value with probability ~2e-4, which moves their
  // Jaccard by 0.001; half the memory of 64-bit values is worth that.
  std::vector<uint32_t> shingles;
};

// NearDeduper keeps the first record of each group of near-duplicates, in input order.
//
// A record is a duplicate when it shares an LSH band with an earlier record (any earlier
// record, kept or not, so chains of edits are caught the way connected components catch
// them) and, with verification, that earlier record passes the check. The verdict names
// the kept record of the matched record's group.
//
// Threading: Sign() is const and thread-safe; Insert() must be called from one thread in
// input order. Same inputs and options give the same verdicts at any thread count.
//
// Memory per record, for the default b x r at threshold 0.8 (b bands):
//   band table  about 12 bytes x b / load (0.375..0.75)  ~ 16-32 B per band
//   kept ids    8 bytes
//   kSignature  + 4 bytes x num_hashes (512 B at 128 hashes)
//   kExact      + 4 bytes per distinct shingle (about 4 x words)
// With 9 bands that is ~250 bytes per record: 10 million records in ~2.5 GB without
// verification, ~7.5 GB with kSignature; kExact (the default, because it is the one that
// meets F1 >= 0.95 on the near-threshold test set) takes ~2 GB per million 500-word records.
// Only the first record seen with each band value is stored, which is all keep-first needs.
//
// Example:
//   TP_ASSIGN_OR_RETURN(NearDeduper dedup, NearDeduper::Create({.threshold = 0.8}));
//   std::cerr << "LSH " << dedup.lsh().ToString() << "\n";
//   Verdict v = dedup.Insert(dedup.Sign(text), record_index);
class NearDeduper {
 public:
  // Validates `options` and chooses b and r when they are 0.
  static Result<NearDeduper> Create(const NearDedupOptions& options);

  // Returns the signature of `text`. Thread-safe.
  Signature Sign(std::string_view text) const;

  // Decides the record `id` whose signature is `signature`, then indexes it.
  Verdict Insert(const Signature& signature, uint64_t id);

  // The pieces of Insert's decision, public so that a plan sharded by LSH bucket
  // (pipeline/dedup_buckets.cc) decides exactly as Insert does:
  // Returns the table key of band `band` of `minhashes` (never 0; the band number is mixed
  // in, so equal values in different bands are different keys).
  uint64_t BandKey(std::span<const uint32_t> minhashes, int band) const;
  // Returns what verification measures between a record and an earlier one, given the
  // earlier one's MinHash values (kSignature) or shingles (kExact); -1 under kNone.
  double Similarity(const Signature& signature, std::span<const uint32_t> earlier_minhashes,
                    std::span<const uint32_t> earlier_shingles) const;
  // True when a candidate pair with `similarity` is a duplicate.
  bool Accepts(double similarity) const {
    return options_.verification == Verification::kNone || similarity >= options_.threshold;
  }

  // Returns the banding in use (print it: "--dedup near: b=9 r=13 ...").
  const LshParams& lsh() const { return lsh_; }
  const NearDedupOptions& options() const { return options_; }
  // Returns the number of records indexed (records with at least one word).
  size_t size() const { return kept_id_.size(); }
  // Returns the bytes held by the index, for the manifest and the memory claims above.
  size_t MemoryBytes() const;

 private:
  NearDeduper(const NearDedupOptions& options, LshParams lsh);

  // Open-addressing table from a band value (mixed with its band number) to the first
  // record that had it. Key 0 marks an empty slot.
  struct BandTable {
    std::vector<uint64_t> keys;
    std::vector<uint32_t> records;
    size_t used = 0;
    // Returns the record stored under `key`, inserting `record` when there is none.
    uint32_t FindOrInsert(uint64_t key, uint32_t record);
    void Grow();
  };

  double Similarity(const Signature& signature, uint32_t record) const;  // against an indexed record

  NearDedupOptions options_;
  LshParams lsh_;
  MinHasher hasher_;
  BandTable table_;
  std::vector<uint64_t> kept_id_;            // per record: the kept id of its group
  std::vector<uint32_t> signatures_;         // kSignature: num_hashes per record
  std::vector<uint32_t> shingles_;           // kExact: all shingle sets, concatenated
  std::vector<uint64_t> shingle_offsets_;    // kExact: start of each record's set, + end
  std::vector<uint32_t> candidates_;         // scratch
};

}  // namespace tunepack::dedup
