// Sharded exports: one export run as N ranks (processes, possibly on N machines of a
// cluster), each writing a part folder, then joined by MergeParts into the export folder
// one machine would have written, byte for byte.
//
// A rank (`export ... --shard I/N`) takes a contiguous slice of the ordered inputs, balanced
// by bytes (ShardSliceOf): whole files, and byte ranges of the JSON Lines files a rank
// boundary falls in, so the parts concatenated in rank order hold the records in the
// single-machine order. Its part folder is an export folder of its own (data files,
// rejected.jsonl, manifest.json with hashes; no stats.json or report.html, which the merge
// writes) plus the completion marker kPartMarkerFile, written last by an atomic rename.
// Options that need every record at once (--pack, --layout hf) are refused under --shard
// (RefuseUnshardable) rather than giving a different result; --dedup runs in stages (below).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::pipeline {

struct ExportOptions;

// ShardSpec: "--shard I/N": rank I (0-based) of N. count 0: not sharded.
struct ShardSpec {
  uint32_t index = 0;
  uint32_t count = 0;
  bool enabled() const { return count > 0; }
  std::string ToString() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "I/N" (0 <= I < N <= 100000); "" is "not sharded". Messages name `option`.
Result<ShardSpec> ParseShardSpec(std::string_view text, std::string_view option = "shard");

// Returns the [begin, end) of the inputs (of `sizes` bytes each, in input order) that rank
// `spec` takes when no file may be cut: contiguous slices, in rank order, balanced by bytes
// (each file also weighs a few KiB, so empty files spread too). A slice may be empty.
std::pair<size_t, size_t> ShardRange(const std::vector<uint64_t>& sizes, ShardSpec spec);

// ShardPoint: a place in the ordered inputs, before byte `offset` of input number `input`
// ({inputs, 0} is the end). A point inside a file is a raw byte offset: the rank that
// starts there starts at the first record beginning at or after it, and the rank that ends
// there reads past it to finish the record it is in.
struct ShardPoint {
  uint64_t input = 0;
  uint64_t offset = 0;
  bool operator==(const ShardPoint&) const = default;
};

// ShardSlice: what one rank reads, from `begin` up to `end`.
struct ShardSlice {
  ShardPoint begin;
  ShardPoint end;
  bool empty() const { return begin == end; }
};

// Returns the slice rank `spec` takes of the inputs (of `sizes` bytes each, in input order):
// the ranks' slices follow each other in rank order and cover every input once, balanced by
// bytes (each file also weighs a few KiB). A rank boundary that falls inside input i cuts
// it when `can_cut(i)` (a record file whose records can be found from any byte offset);
// otherwise the file goes whole to the rank in whose share it starts. `can_cut` is asked
// only about the files a boundary of this rank falls in (at most two).
ShardSlice ShardSliceOf(const std::vector<uint64_t>& sizes, ShardSpec spec,
                        const std::function<bool(size_t input)>& can_cut);

// Refuses, with a message naming the option, what a sharded export cannot do yet because
// it needs all records at once (or cannot be split by file).
Status RefuseUnshardable(const ExportOptions& options);

// The completion marker of a part folder (JSON: rank, options, the input listing).
inline constexpr const char* kPartMarkerFile = "tunepack-part.json";

struct MergeOptions {
  std::vector<std::string> parts;  ///< part folders, in any order
  std::string output_dir;          ///< the export folder to write
  bool overwrite = false;          ///< replace an export tunepack wrote there
};

struct MergeSummary {
  uint32_t parts = 0;
  uint64_t inputs = 0;
  uint64_t written = 0;
  uint64_t filtered = 0;
  uint64_t rejected = 0;
  uint64_t examples_written = 0;
  std::vector<std::pair<std::string, uint64_t>> outputs;  ///< data file, records
};

// Joins complete part folders (ranks 0..N-1 of one sharded export, each with its marker)
// into `output_dir`: the data files in the single-machine order (re-cut at
// --max-records-per-file), one rejected.jsonl, manifest.json, stats.json and report.html,
// byte-identical to the export one process would have written. Refuses parts without a
// marker, parts of other options or inputs, missing or repeated ranks, data files whose
// hash differs from their part's manifest, and an output folder holding files tunepack did
// not write (as export does).
Result<MergeSummary> MergeParts(const MergeOptions& options);

// Deduplication of a sharded export, in three stages (docs/scale-out.md):
//   1. every rank runs `export --shard I/N --dedup MODE` without a plan: beside its part it
//      writes the signatures of the examples it would write (dedup-signatures.bin);
//   2. BuildDedupPlan (`tunepack dedup-plan`) reads them all in rank order and decides as
//      one export decides, writing the plan: the duplicates, with what each duplicates.
//      Or, sharded by LSH bucket: M tasks (`--bucket-shard J/M --buckets DIR`) each find the
//      candidate pairs of 1/M of the band and exact keys, and a combine (`--buckets DIR -o
//      PLAN`) decides from the pairs alone, writing the same plan byte for byte;
//   3. every rank runs again with `--dedup-plan PLAN` (a new part folder) and takes the
//      plan's verdicts; `tunepack merge` joins those parts as usual.
struct DedupPlanOptions {
  std::vector<std::string> parts;  ///< the stage-1 part folders
  std::string output;              ///< the plan file to write (not for a bucket task)
  bool overwrite = false;          ///< replace a plan (or bucket file of another run) tunepack wrote there
  std::string buckets_dir;         ///< the bucket tasks' folder: they write it, the combine reads it
  ShardSpec bucket_shard;          ///< a bucket task: J/M; not enabled for the plan itself
};

struct DedupPlanSummary {
  uint32_t parts = 0;
  uint64_t candidates = 0;
  uint64_t exact_duplicates = 0;
  uint64_t near_duplicates = 0;
  std::string near_dedup_lsh;  ///< the banding used, "b=.. r=.."; empty without near dedup
  uint32_t bucket_tasks = 0;   ///< sharded by bucket: the tasks combined (M)
  uint64_t pairs = 0;          ///< sharded by bucket: the candidate pairs found (a task) or read (the combine)
  std::string bucket_file;     ///< a bucket task: the file it wrote
  bool already_complete = false;  ///< a bucket task whose file was there already, for these signatures
};

Result<DedupPlanSummary> BuildDedupPlan(const DedupPlanOptions& options);

}  // namespace tunepack::pipeline
