// RunBucketTask: stage 2a of a plan sharded by bucket (dedup_buckets.h). Two passes over the
// signatures: the first finds the task's candidate pairs from its keys alone; the second
// brings back the MinHash values or shingles of the earlier example of each near pair, only
// those, to measure the pairs as NearDeduper's verification does.
#include "pipeline/dedup_buckets.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <unordered_map>
#include <vector>

#include "pipeline/dedup_bucket_file.h"
#include "pipeline/dedup_plan_io.h"
#include "pipeline/result_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

// The task a key falls to: its high 32 bits scaled to [0, tasks). The low bits stay free
// for FirstTable's slots, so a task's keys still spread over the whole table.
uint32_t TaskOfKey(uint64_t key, uint32_t tasks) {
  return static_cast<uint32_t>(((key >> 32) * tasks) >> 32);
}

// Open addressing from a band key (never 0) to the ordinal of the first example with it:
// 16 bytes a slot, at most 3/4 full.
class FirstTable {
 public:
  // Returns the ordinal stored under `key`, storing `ordinal` when there is none.
  uint64_t FindOrInsert(uint64_t key, uint64_t ordinal) {
    if ((used_ + 1) * 4 > keys_.size() * 3) Grow();
    const size_t mask = keys_.size() - 1;
    for (size_t slot = static_cast<size_t>(key) & mask;; slot = (slot + 1) & mask) {
      if (keys_[slot] == key) return ordinals_[slot];
      if (keys_[slot] == 0) {
        keys_[slot] = key;
        ordinals_[slot] = ordinal;
        ++used_;
        return ordinal;
      }
    }
  }

 private:
  void Grow() {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<uint64_t> ordinals = std::move(ordinals_);
    keys_.assign(keys.empty() ? 1024 : keys.size() * 2, 0);
    ordinals_.assign(keys_.size(), 0);
    used_ = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != 0) FindOrInsert(keys[i], ordinals[i]);
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<uint64_t> ordinals_;
  size_t used_ = 0;
};

// What the second pass keeps of an earlier example until its last pair is measured.
struct Earlier {
  uint64_t id = 0;
  uint64_t pairs_left = 0;
  std::vector<uint32_t> minhashes;  ///< with signature verification
  std::vector<uint32_t> shingles;   ///< with exact verification
};

// Refuses to replace what is not a bucket file of tunepack's, or one of other signatures
// without `overwrite`; true when the file is there already for these signatures.
Result<bool> CheckBucketPath(const std::string& path, const std::string& identity, ShardSpec task, bool overwrite) {
  if (!io::StatPath(path, false).has_value()) return false;
  Result<std::string> head = io::ReadFileHead(path, io::kMaxConfigFileBytes);
  if (!head.has_value() || !LooksLikeBucketFile(*head)) {
    return FailedPreconditionError(io::DisplayPath(path) +
                                   " exists and is not a tunepack bucket file; tunepack never replaces it: "
                                   "choose another folder");
  }
  Result<BucketHeader> existing = DecodeBucketHeader(path, *head);
  if (existing.has_value() && existing->file.identity == identity &&
      existing->file.task.ToString() == task.ToString()) {
    return true;
  }
  if (!overwrite) {
    return FailedPreconditionError(io::DisplayPath(path) + " holds the bucket file of other signatures: pass " +
                                   OptionRef("overwrite") + " to replace it");
  }
  return false;
}

}  // namespace

std::string BucketFileName(ShardSpec task) {
  char name[64];
  std::snprintf(name, sizeof name, "dedup-buckets-%05u-of-%05u.bin", task.index, task.count);
  return name;
}

Result<DedupPlanSummary> RunBucketTask(const DedupPlanOptions& request) {
  TP_ASSIGN_OR_RETURN(const SignatureRun run, LoadSignatureRun(request.parts));
  const ShardSpec task = request.bucket_shard;
  BucketFile file{task, run.IdentityJson(), {}, {}};
  DedupPlanSummary summary;
  summary.parts = static_cast<uint32_t>(run.set.parts.size());
  summary.bucket_tasks = task.count;
  summary.bucket_file = request.buckets_dir + "/" + BucketFileName(task);
  TP_ASSIGN_OR_RETURN(summary.already_complete,
                      CheckBucketPath(summary.bucket_file, file.identity, task, request.overwrite));
  if (summary.already_complete) return summary;
  TP_ASSIGN_OR_RETURN(Dedupers dedupers, CreateDedupers(run.options));
  dedup::ExactDeduper* exact = dedupers.exact.get();
  const dedup::NearDeduper* near = dedupers.near.get();
  if (near) summary.near_dedup_lsh = near->lsh().ToString();

  // Pass 1: the first example of each of the task's keys; a pair for every later one.
  FirstTable firsts;
  std::vector<std::pair<uint64_t, uint64_t>> near_pairs;  // (later, earlier), in the order of `later`
  std::vector<uint64_t> candidates;
  auto find_pairs = [&](const SignatureEntry& entry) {
    if (exact && TaskOfKey(entry.key.high, task.count) == task.index) {
      const dedup::Verdict verdict = exact->Insert(entry.key, entry.id);
      if (verdict.duplicate) file.pairs.push_back({entry.ordinal, 0, verdict.kept_id});
    }
    if (!near || entry.signature.minhashes.empty()) return true;
    candidates.clear();
    for (int band = 0; band < near->lsh().bands; ++band) {
      const uint64_t key = near->BandKey(entry.signature.minhashes, band);
      if (TaskOfKey(key, task.count) != task.index) continue;
      const uint64_t first = firsts.FindOrInsert(key, entry.ordinal);
      if (first != entry.ordinal) candidates.push_back(first);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const uint64_t earlier : candidates) near_pairs.emplace_back(entry.ordinal, earlier);
    return true;
  };
  TP_ASSIGN_OR_RETURN(file.examples, ForEachSignature(run, find_pairs));
  firsts = FirstTable();

  // Pass 2: the earlier examples' values, kept from their own place in the signatures until
  // their last pair is measured; it stops after the last pair's later example.
  if (!near_pairs.empty()) {
    std::unordered_map<uint64_t, Earlier> earlier;
    for (const auto& [later, first] : near_pairs) ++earlier[first].pairs_left;
    const dedup::Verification verification = near->options().verification;
    size_t next = 0;
    auto measure_pairs = [&](const SignatureEntry& entry) {
      if (auto it = earlier.find(entry.ordinal); it != earlier.end()) {
        it->second.id = entry.id;
        if (verification == dedup::Verification::kSignature) {
          it->second.minhashes = entry.signature.minhashes;
        } else if (verification == dedup::Verification::kExact) {
          it->second.shingles = entry.signature.shingles;
        }
      }
      for (; next < near_pairs.size() && near_pairs[next].first == entry.ordinal; ++next) {
        const auto first = earlier.find(near_pairs[next].second);
        const double similarity =
            near->Similarity(entry.signature, first->second.minhashes, first->second.shingles);
        file.pairs.push_back({entry.ordinal, first->first, first->second.id, similarity, true,
                              near->Accepts(similarity)});
        if (--first->second.pairs_left == 0) earlier.erase(first);
      }
      return next < near_pairs.size();
    };
    TP_RETURN_IF_ERROR(ForEachSignature(run, measure_pairs));
  }
  std::stable_sort(file.pairs.begin(), file.pairs.end(),
                   [](const CandidatePair& a, const CandidatePair& b) { return a.later < b.later; });
  summary.pairs = file.pairs.size();
  for (const uint64_t count : file.examples) summary.candidates += count;

  std::error_code error;
  std::filesystem::create_directories(request.buckets_dir, error);
  if (error) {
    return InvalidArgumentError(io::DisplayPath(request.buckets_dir) + ": cannot create: " + error.message());
  }
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(summary.bucket_file, EncodeBucketFile(file)));
  return summary;
}

}  // namespace tunepack::pipeline
