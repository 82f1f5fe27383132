// The file a bucket task writes (dedup_buckets.h): a JSON header line naming the task and
// the signatures it read, then its candidate pairs, fixed-size binary records in the host's
// byte order (the tasks and the combine run on one cluster, like the signature files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {

// A later example and the first example before it with one of its keys.
struct CandidatePair {
  uint64_t later = 0;       ///< the later example's number among all ranks' examples (its ordinal)
  uint64_t earlier = 0;     ///< near pairs: the first example's ordinal
  uint64_t earlier_id = 0;  ///< the first example's DedupId: what "duplicate of" names
  double similarity = 1.0;  ///< near pairs: what verification measured (-1 without it)
  bool near = false;        ///< a band key (else an exact key)
  bool accepted = true;     ///< near pairs: verification passed
};

struct BucketFile {
  ShardSpec task;
  std::string identity;            ///< SignatureRun::IdentityJson of the signatures read
  std::vector<uint64_t> examples;  ///< the examples of each rank
  std::vector<CandidatePair> pairs;
};

std::string EncodeBucketFile(const BucketFile& file);

// Decodes the bytes of the bucket file at `path` (named in messages); only its header when
// `header_only`.
Result<BucketFile> DecodeBucketFile(const std::string& path, std::string_view bytes, bool header_only);

// True when `bytes` start like a bucket file (tunepack wrote it).
bool LooksLikeBucketFile(std::string_view bytes);

}  // namespace tunepack::pipeline
