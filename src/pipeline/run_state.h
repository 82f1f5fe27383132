// RunState: everything the writer has accounted for so far. It is what a checkpoint saves,
// what --resume restores, and what the manifest reports at the end.
#pragma once

#include "tunepack/pipeline/pack.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tunepack/core/hash.h"
#include "tunepack/core/result.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {

// SourceCounts: what became of one input file's units, and what --resume must find again:
// the file as it was (size, modification time) and the prefix the written tasks came from.
struct SourceCounts {
  uint64_t units = 0;
  uint64_t written = 0;
  uint64_t rejected = 0;
  std::string path;              ///< SourceFile::name
  uint64_t size = 0;             ///< when the run started
  int64_t mtime_ns = 0;          ///< when the run started
  uint64_t consumed_bytes = 0;   ///< bytes read for the tasks written so far
  Hash128 consumed_hash = HashBytes("");  ///< XXH3-128 of those bytes
  uint64_t filtered = 0;  ///< dropped by a filter the options asked for
};

// SourceInfo: an input file as the manifest describes it.
struct SourceInfo {
  std::string path;      ///< SourceFile::name (UTF-8 text)
  std::string path_hex;  ///< the name's bytes in hex when `path` is not them (not UTF-8)
  std::string type;  ///< reader or container name, "binary", "unreadable"...
  uint64_t bytes = 0;
  Hash128 hash;
};

struct RunState {
  uint64_t tasks_done = 0;
  uint64_t inputs = 0;
  uint64_t written = 0;
  uint64_t rejected = 0;           ///< units that could not be used
  uint64_t filtered = 0;           ///< units dropped by a requested filter (IsRequestedFilter)
  uint64_t examples_written = 0;   ///< records written (more than units when chunking)
  uint64_t examples_rejected = 0;  ///< lines of rejected.jsonl
  uint64_t examples_truncated = 0; ///< written after being cut (--on-overlong truncate)
  uint64_t invalid_utf8 = 0;
  std::map<std::string, uint64_t> rejected_by_reason;
  std::map<std::string, uint64_t> filtered_by_reason;
  std::map<std::string, uint64_t> pii_redacted;  ///< --redact-pii findings by kind
  std::string first_rejection;
  std::vector<SourceCounts> sources;
  std::vector<OutputFileSummary> files;
  uint64_t rejected_file_bytes = 0;
  uint64_t signatures_bytes = 0;  ///< sharded dedup, stage 1: the signature file (dedup_stage.h)
};


// Returns the hash written as 32 hex digits by Hash128::Hex() (zero when it is not).
Hash128 ParseHash(const std::string& hex);

// Returns the checkpoint JSON for `state` under the canonical options `options_json`.
std::string CheckpointJson(const RunState& state, const std::string& options_json);

// Parses a checkpoint; FailedPrecondition when it was written under other options.
Result<RunState> ParseCheckpoint(const std::string& json, const std::string& options_json);

// PackedOutput: one split's packed sequences (--pack), for the manifest.
struct PackedOutput {
  std::string path;  ///< relative to the output folder
  std::string split;
  PackSummary summary;
  Hash128 hash;
};

// ManifestInputs: the inputs with their counts, for the manifest.
struct ManifestData {
  std::string options_json;
  std::vector<SourceInfo> sources;
  std::vector<std::string> warnings;
  std::vector<std::pair<OutputFileSummary, Hash128>> outputs;
  Hash128 rejected_hash;
  std::string near_dedup_lsh;  ///< empty when near dedup is off
  std::vector<PackedOutput> packed;  ///< --pack
  std::string dataset_card;          ///< --layout hf: README.md; empty otherwise
  Hash128 dataset_card_hash;
  std::string target_file;  ///< --target: its companion file (dataset_info.json); empty otherwise
  Hash128 target_file_hash;
};

// Returns manifest.json's content (pretty-printed, deterministic: no times, no paths that
// depend on the machine other than the inputs as given).
std::string ManifestJson(const RunState& state, const ManifestData& data);

// Reads the files an existing manifest lists (data files, packed files, the ledger), to
// replace them or report them.
Result<std::vector<std::string>> ManifestOutputPaths(const std::string& manifest_json);

}  // namespace tunepack::pipeline
