// Fuzzes the bucket files of the sharded dedup plan (pipeline/dedup_bucket_file.h), which the
// combine reads back from a shared file system where a task may have died mid-write or
// another program may have left something under the same name. The input is the file's
// bytes. Besides "no crash, no hang", it traps when a contract breaks: a file that opens has
// exactly the pairs its header counts (its size was checked against them), and the header
// and pairs read encode to a file that reads back the same.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/dedup_bucket_file.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;            // NOLINT: a fuzz target, not library code
using namespace tunepack::pipeline;  // NOLINT

bool WriteFile(const std::string& path, std::string_view bytes) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return false;
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  return std::fclose(file) == 0 && written;
}

// Reads the bucket file at `path` whole; false when it is refused (a Status, never a crash).
bool ReadBucketFile(const std::string& path, BucketFile& out, uint64_t& counted) {
  Result<std::unique_ptr<BucketFileReader>> reader = BucketFileReader::Open(path);
  if (!reader.has_value()) return false;
  out = (*reader)->header();
  CandidatePair pair;
  for (;;) {
    Result<bool> next = (*reader)->Next(pair);
    Check(next.has_value());  // the size matched the header: every counted pair is there
    if (!*next) break;
    out.pairs.push_back(pair);
  }
  counted = out.pairs.size();
  return true;
}

bool SamePairs(const std::vector<CandidatePair>& a, const std::vector<CandidatePair>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool same_similarity = a[i].similarity == b[i].similarity ||
                                 (a[i].similarity != a[i].similarity && b[i].similarity != b[i].similarity);
    if (a[i].later != b[i].later || a[i].earlier != b[i].earlier || a[i].earlier_id != b[i].earlier_id ||
        !same_similarity || a[i].near != b[i].near || a[i].accepted != b[i].accepted) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/tunepack-bucket-fuzz-" + std::to_string(getpid()) + ".bin";
  Check(WriteFile(path, std::string_view(reinterpret_cast<const char*>(data), size)));
  BucketFile file;
  uint64_t counted = 0;
  if (!ReadBucketFile(path, file, counted)) return 0;
  Result<BucketHeader> header = DecodeBucketHeader(path, std::string_view(reinterpret_cast<const char*>(data), size));
  Check(header.has_value() && header->pairs == counted);

  Check(WriteFile(path, EncodeBucketFile(file)));
  BucketFile again;
  uint64_t counted_again = 0;
  Check(ReadBucketFile(path, again, counted_again));
  Check(again.task.ToString() == file.task.ToString() && again.identity == file.identity &&
        again.examples == file.examples && SamePairs(again.pairs, file.pairs));
  return 0;
}
