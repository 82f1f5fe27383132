// The file a bucket task writes (dedup_buckets.h): a JSON header line naming the task and
// the signatures it read, then its candidate pairs, fixed-size binary records in the host's
// byte order (the tasks and the combine run on one cluster, like the signature files).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/io/file.h"
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

// The header line of a bucket file: the file without its pairs, how many it has, and the
// line's size in bytes (newline included).
struct BucketHeader {
  BucketFile file;  ///< `pairs` empty
  uint64_t pairs = 0;
  uint64_t bytes = 0;
};

// Decodes the header of the bucket file at `path` (named in messages) from its first bytes.
Result<BucketHeader> DecodeBucketHeader(const std::string& path, std::string_view bytes);

// Reads a bucket file pair by pair, in the order its task wrote them (by later example), so
// the combine holds one block of each file, not all pairs.
class BucketFileReader {
 public:
  // Opens `path` and reads its header, checking the file's size against the pairs it counts.
  static Result<std::unique_ptr<BucketFileReader>> Open(const std::string& path);
  const BucketFile& header() const { return header_.file; }
  // Reads the next pair; false at the end.
  Result<bool> Next(CandidatePair& pair);

 private:
  BucketFileReader(std::string path, std::unique_ptr<io::InputFile> file)
      : path_(std::move(path)), file_(std::move(file)) {}
  std::string path_;
  std::unique_ptr<io::InputFile> file_;
  BucketHeader header_;
  uint64_t pairs_left_ = 0;
  std::string buffer_;
  size_t pos_ = 0;
};

// True when `bytes` start like a bucket file (tunepack wrote it).
bool LooksLikeBucketFile(std::string_view bytes);

}  // namespace tunepack::pipeline
