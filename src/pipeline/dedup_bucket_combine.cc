// CombineBucketTasks: stage 2b of a plan sharded by bucket (dedup_buckets.h). Reads every
// task's pairs and replays, in the single-machine order, only the examples that have pairs:
// an exact pair makes an exact duplicate (the exact check comes first, as in
// DecideDuplicate); otherwise the earliest accepted near pair decides, naming the kept
// example of the earlier one's group, as NearDeduper::Insert does.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
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

// Reads the bucket files of `dir`: all of one task count M, tasks 0..M-1 each once, each of
// the signatures `identity`.
Result<std::vector<BucketFile>> ReadBucketFiles(const std::string& dir, const std::string& identity) {
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
  std::vector<BucketFile> files;
  for (uint32_t index = 0; index < count; ++index) {
    const std::string path = dir + "/" + BucketFileName({index, count});
    if (!io::StatPath(path, false).has_value()) {
      return FailedPreconditionError("dedup-plan: bucket task " + std::to_string(index) + "/" +
                                     std::to_string(count) + " has not finished (no " + io::DisplayPath(path) +
                                     "): run it again");
    }
    TP_ASSIGN_OR_RETURN(const std::string bytes, io::ReadWholeFile(path));
    TP_ASSIGN_OR_RETURN(BucketFile file, DecodeBucketFile(path, bytes, false));
    if (file.identity != identity) {
      return FailedPreconditionError(io::DisplayPath(path) + " was made from other signatures (other options, " +
                                     "inputs or ranks): run bucket task " + file.task.ToString() +
                                     " again with " + OptionRef("overwrite"));
    }
    if (!files.empty() && file.examples != files.front().examples) {
      return DataLossError(io::DisplayPath(path) + " counts other examples than task 0/" + std::to_string(count) +
                           ": run it again with " + OptionRef("overwrite"));
    }
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

Result<DedupPlanSummary> CombineBucketTasks(const DedupPlanOptions& request) {
  TP_RETURN_IF_ERROR(PlanFile::CheckWritable(request.output, request.overwrite));
  TP_ASSIGN_OR_RETURN(const SignatureRun run, LoadSignatureRun(request.parts));
  TP_ASSIGN_OR_RETURN(std::vector<BucketFile> files, ReadBucketFiles(request.buckets_dir, run.IdentityJson()));
  TP_ASSIGN_OR_RETURN(const Dedupers dedupers, CreateDedupers(run.options));
  DedupPlanSummary summary;
  summary.parts = static_cast<uint32_t>(run.set.parts.size());
  summary.bucket_tasks = static_cast<uint32_t>(files.size());
  if (dedupers.near) summary.near_dedup_lsh = dedupers.near->lsh().ToString();
  // Where each rank's examples start among all (ordinals), to place a verdict in its rank.
  std::vector<uint64_t> rank_starts;
  for (const uint64_t count : files.front().examples) {
    rank_starts.push_back(summary.candidates);
    summary.candidates += count;
  }
  std::vector<CandidatePair> pairs;
  for (BucketFile& file : files) {
    pairs.insert(pairs.end(), file.pairs.begin(), file.pairs.end());
    file.pairs = {};
  }
  summary.pairs = pairs.size();
  // Per later example: its exact pair first, then its near pairs from the earliest.
  std::sort(pairs.begin(), pairs.end(), [](const CandidatePair& a, const CandidatePair& b) {
    return a.later != b.later ? a.later < b.later : a.near != b.near ? !a.near : a.earlier < b.earlier;
  });

  PlanFile plan(run);
  auto kept_name = [&](size_t source) { return run.InputName(source); };
  std::vector<uint64_t> exact_duplicates;             // ordinals, ascending
  std::unordered_map<uint64_t, uint64_t> group_kept;  // near duplicate's ordinal -> its group's kept id
  for (size_t begin = 0, end; begin < pairs.size(); begin = end) {
    const uint64_t later = pairs[begin].later;
    for (end = begin; end < pairs.size() && pairs[end].later == later; ++end) {
      // An example near dedup never saw (an exact duplicate) must not be the first with a key.
      if (pairs[end].near && std::binary_search(exact_duplicates.begin(), exact_duplicates.end(), pairs[end].earlier)) {
        return InternalError("dedup-plan: example " + std::to_string(pairs[end].earlier) +
                             " is an exact duplicate and the first with a band key; make the plan in one process");
      }
    }
    std::optional<Rejection> duplicate;
    if (!pairs[begin].near) {
      duplicate = DuplicateRejection({true, pairs[begin].earlier_id, 1.0}, false, Origin{}, kept_name);
      exact_duplicates.push_back(later);
      ++summary.exact_duplicates;
    } else {
      for (size_t i = begin; i < end && !duplicate; ++i) {
        if (!pairs[i].accepted) continue;
        const auto group = group_kept.find(pairs[i].earlier);
        const uint64_t kept = group != group_kept.end() ? group->second : pairs[i].earlier_id;
        group_kept[later] = kept;
        duplicate = DuplicateRejection({true, kept, pairs[i].similarity}, true, Origin{}, kept_name);
        ++summary.near_duplicates;
      }
    }
    if (!duplicate) continue;
    const size_t rank = static_cast<size_t>(std::upper_bound(rank_starts.begin(), rank_starts.end(), later) -
                                            rank_starts.begin() - 1);
    plan.Add(run.set.parts[rank].marker.shard.index, later - rank_starts[rank], *duplicate);
  }
  TP_RETURN_IF_ERROR(plan.Write(request.output));
  return summary;
}

}  // namespace tunepack::pipeline
