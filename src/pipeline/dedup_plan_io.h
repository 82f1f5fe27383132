// What the plan stage of a sharded dedup reads and writes, in one place for its two forms
// (one process, BuildDedupPlan; or bucket tasks and their combine, dedup_buckets.h): the
// signature parts of a run, read example by example in the single-machine order, and the
// plan file the ranks then take (DedupPlan in dedup_stage.h reads it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/part_set.h"
#include "pipeline/work.h"
#include "tunepack/core/hash.h"
#include "tunepack/dedup/near_deduper.h"

namespace tunepack::pipeline {

// The signature parts of one run (stage 1, complete, all ranks) and the run's options.
struct SignatureRun {
  PartSet set;
  ExportOptions options;
  std::vector<std::string> input_names;  ///< every input of the run, in order: what "duplicate of" names
  std::vector<uint64_t> signature_bytes;  ///< the size of each rank's signature file
  // Names the input `source` (its index among all inputs).
  std::string InputName(size_t source) const {
    return source < input_names.size() ? input_names[source] : std::string("?");
  }
  // The identity of the signatures, as JSON: the run's options, inputs and signature file
  // sizes. Bucket files carry it, so a stale one is never taken for this run's.
  std::string IdentityJson() const;
};

// Loads and checks the parts (LoadPartSet), refusing parts that are not signature parts.
Result<SignatureRun> LoadSignatureRun(const std::vector<std::string>& parts);

// One example of a signature file, placed in the whole run.
struct SignatureEntry {
  uint32_t rank = 0;
  uint64_t candidate = 0;  ///< its number in its rank's signature file
  uint64_t ordinal = 0;    ///< its number among all ranks' examples, in rank order
  uint64_t id = 0;         ///< DedupId: its input (among all) and record
  Hash128 key;             ///< the exact-dedup key
  dedup::Signature signature;
};

// Reads every rank's signatures in rank order, that is in the single-machine input order,
// and calls `visit` on each until it returns false. Returns the number of examples each rank
// has (counted up to where `visit` stopped).
Result<std::vector<uint64_t>> ForEachSignature(const SignatureRun& run,
                                                const std::function<bool(const SignatureEntry&)>& visit);

// The plan file: a JSON header line naming the run, then one line per duplicate, in the
// single-machine order.
class PlanFile {
 public:
  // Checks that `path` may be written: absent, or a plan tunepack wrote and `overwrite`.
  static Status CheckWritable(const std::string& path, bool overwrite);
  explicit PlanFile(const SignatureRun& run);
  // Adds the verdict of candidate `candidate` of rank `rank`; call in the run's order.
  void Add(uint32_t rank, uint64_t candidate, const Rejection& duplicate);
  Status Write(const std::string& path) const;

 private:
  std::string text_;
};

}  // namespace tunepack::pipeline
