// CombineBucketTasks: stage 2b of a plan sharded by bucket (dedup_buckets.h). Merges the
// tasks' files (each sorted by later example) and replays, in the single-machine order, only
// the examples that have pairs, holding the duplicates' groups, not the pairs:
// an exact pair makes an exact duplicate (the exact check comes first, as in
// DecideDuplicate); otherwise the earliest accepted near pair decides, naming the kept
// example of the earlier one's group, as NearDeduper::Insert does.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>

#include "pipeline/dedup_bucket_file.h"
#include "pipeline/dedup_buckets.h"
#include "pipeline/dedup_plan_io.h"
#include "pipeline/result_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

// Opens the bucket files of `dir`: all of one task count M, tasks 0..M-1 each once, each of
// the signatures `identity`.
Result<std::vector<std::unique_ptr<BucketFileReader>>> OpenBucketFiles(const std::string& dir,
                                                                        const std::string& identity) {
  TP_ASSIGN_OR_RETURN(const std::vector<io::DirEntry> entries, io::ListDirectory(dir));
  std::map<uint32_t, std::vector<std::string>> by_count;  // M -> file names
  for (const io::DirEntry& entry : entries) {
    unsigned index = 0, count = 0;
    if (std::sscanf(entry.name.c_str(), "dedup-buckets-%u-of-%u.bin", &index, &count) == 2 && count > 0 &&
        index < count && entry.name == BucketFileName({index, count})) {
      by_count[count].push_back(entry.name);
    }
  }
  if (by_count.empty()) {
    return FailedPreconditionError(io::DisplayPath(dir) + " holds no bucket files: run the bucket tasks (" +
                                   OptionRef("bucket-shard") + " J/M) first");
  }
  if (by_count.size() > 1) {
    return FailedPreconditionError(io::DisplayPath(dir) + " holds the bucket files of " +
                                   std::to_string(by_count.begin()->first) + " and of " +
                                   std::to_string(std::next(by_count.begin())->first) +
                                   " tasks: remove the files of the other run");
  }
  const uint32_t count = by_count.begin()->first;
  std::vector<std::unique_ptr<BucketFileReader>> files;
  for (uint32_t index = 0; index < count; ++index) {
    const std::string path = dir + "/" + BucketFileName({index, count});
    if (!io::StatPath(path, false).has_value()) {
      return FailedPreconditionError("dedup-plan: bucket task " + std::to_string(index) + "/" +
                                     std::to_string(count) + " has not finished (no " + io::DisplayPath(path) +
                                     "): run it again");
    }
    TP_ASSIGN_OR_RETURN(std::unique_ptr<BucketFileReader> reader, BucketFileReader::Open(path));
    const BucketFile& file = reader->header();
    if (file.identity != identity) {
      return FailedPreconditionError(io::DisplayPath(path) + " was made from other signatures (other options, " +
                                     "inputs or ranks): run bucket task " + file.task.ToString() +
                                     " again with " + OptionRef("overwrite"));
    }
    if (!files.empty() && file.examples != files.front()->header().examples) {
      return DataLossError(io::DisplayPath(path) + " counts other examples than task 0/" + std::to_string(count) +
                           ": run it again with " + OptionRef("overwrite"));
    }
    files.push_back(std::move(reader));
  }
  return files;
}

// The tasks' pairs in the order the combine decides in: by later example, its exact pair
// first, then its near pairs from the earliest earlier example.
bool DecidedBefore(const CandidatePair& a, const CandidatePair& b) {
  return a.later != b.later ? a.later < b.later : a.near != b.near ? !a.near : a.earlier < b.earlier;
}

// Merges the tasks' files, each already in that order, one later example at a time.
class PairMerge {
 public:
  explicit PairMerge(std::vector<std::unique_ptr<BucketFileReader>>& files) : files_(files) {}
  // Fills `group` with every pair of the next later example, in DecidedBefore order;
  // false when no pairs are left.
  Result<bool> NextGroup(std::vector<CandidatePair>& group) {
    if (!started_) {
      started_ = true;
      for (size_t i = 0; i < files_.size(); ++i) TP_RETURN_IF_ERROR(Refill(i));
    }
    group.clear();
    if (heap_.empty()) return false;
    const uint64_t later = heap_.top().first.later;
    while (!heap_.empty() && heap_.top().first.later == later) {
      const size_t file = heap_.top().second;
      group.push_back(heap_.top().first);
      heap_.pop();
      TP_RETURN_IF_ERROR(Refill(file));
    }
    std::sort(group.begin(), group.end(), DecidedBefore);
    return true;
  }
  uint64_t pairs() const { return pairs_; }

 private:
  using Head = std::pair<CandidatePair, size_t>;  // a file's next pair, and the file
  struct After {
    bool operator()(const Head& a, const Head& b) const { return a.first.later > b.first.later; }
  };
  Status Refill(size_t file) {
    CandidatePair pair;
    TP_ASSIGN_OR_RETURN(bool more, files_[file]->Next(pair));
    if (more) {
      heap_.emplace(pair, file);
      ++pairs_;
    }
    return Status::Ok();
  }
  std::vector<std::unique_ptr<BucketFileReader>>& files_;
  std::priority_queue<Head, std::vector<Head>, After> heap_;
  bool started_ = false;
  uint64_t pairs_ = 0;
};

}  // namespace

Result<DedupPlanSummary> CombineBucketTasks(const DedupPlanOptions& request) {
  TP_RETURN_IF_ERROR(PlanFile::CheckWritable(request.output, request.overwrite));
  TP_ASSIGN_OR_RETURN(const SignatureRun run, LoadSignatureRun(request.parts));
  TP_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<BucketFileReader>> files,
                      OpenBucketFiles(request.buckets_dir, run.IdentityJson()));
  TP_ASSIGN_OR_RETURN(const Dedupers dedupers, CreateDedupers(run.options));
  DedupPlanSummary summary;
  summary.parts = static_cast<uint32_t>(run.set.parts.size());
  summary.bucket_tasks = static_cast<uint32_t>(files.size());
  if (dedupers.near) summary.near_dedup_lsh = dedupers.near->lsh().ToString();
  // Where each rank's examples start among all (ordinals), to place a verdict in its rank.
  std::vector<uint64_t> rank_starts;
  for (const uint64_t count : files.front()->header().examples) {
    rank_starts.push_back(summary.candidates);
    summary.candidates += count;
  }
  // The header's identity names these signatures; its counts and the pairs must fit them
  // too, or a verdict would land in no rank (a file altered after its task wrote it).
  auto altered = [&](const std::string& what) {
    return DataLossError("dedup-plan: the bucket files in " + io::DisplayPath(request.buckets_dir) + " " + what +
                         ": run the bucket tasks again with " + OptionRef("overwrite"));
  };
  if (rank_starts.size() != run.set.parts.size()) {
    return altered("count the examples of " + std::to_string(rank_starts.size()) + " ranks, not " +
                   std::to_string(run.set.parts.size()));
  }
  PlanFile plan(run);
  auto kept_name = [&](size_t source) { return run.InputName(source); };
  std::vector<uint64_t> exact_duplicates;             // ordinals, ascending
  std::unordered_map<uint64_t, uint64_t> group_kept;  // near duplicate's ordinal -> its group's kept id
  PairMerge merge(files);
  std::vector<CandidatePair> group;
  while (true) {
    TP_ASSIGN_OR_RETURN(bool more, merge.NextGroup(group));
    if (!more) break;
    const uint64_t later = group.front().later;
    for (const CandidatePair& pair : group) {
      if (later >= summary.candidates || (pair.near && pair.earlier >= later)) {
        return altered("hold a pair of examples " + std::to_string(pair.earlier) + " and " + std::to_string(later) +
                       " outside the " + std::to_string(summary.candidates) + " examples counted");
      }
      // An example near dedup never saw (an exact duplicate) must not be the first with a key.
      if (pair.near && std::binary_search(exact_duplicates.begin(), exact_duplicates.end(), pair.earlier)) {
        return InternalError("dedup-plan: example " + std::to_string(pair.earlier) +
                             " is an exact duplicate and the first with a band key; make the plan in one process");
      }
    }
    std::optional<Rejection> duplicate;
    if (!group.front().near) {
      duplicate = DuplicateRejection({true, group.front().earlier_id, 1.0}, false, Origin{}, kept_name);
      exact_duplicates.push_back(later);
      ++summary.exact_duplicates;
    } else {
      for (const CandidatePair& pair : group) {
        if (!pair.accepted) continue;
        const auto earlier_group = group_kept.find(pair.earlier);
        const uint64_t kept = earlier_group != group_kept.end() ? earlier_group->second : pair.earlier_id;
        group_kept[later] = kept;
        duplicate = DuplicateRejection({true, kept, pair.similarity}, true, Origin{}, kept_name);
        ++summary.near_duplicates;
        break;
      }
    }
    if (!duplicate) continue;
    const size_t rank = static_cast<size_t>(std::upper_bound(rank_starts.begin(), rank_starts.end(), later) -
                                            rank_starts.begin() - 1);
    plan.Add(run.set.parts[rank].marker.shard.index, later - rank_starts[rank], *duplicate);
  }
  summary.pairs = merge.pairs();
  TP_RETURN_IF_ERROR(plan.Write(request.output));
  return summary;
}

}  // namespace tunepack::pipeline
