#include "pipeline/resume_check.h"

#include <algorithm>
#include <string>

#include "tunepack/core/hash.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/file.h"

namespace tunepack::pipeline {
namespace {

std::string StartAgain() { return "; start again with " + OptionRef("overwrite"); }

// Hashes the first `bytes` bytes of `path`; nullopt-like error when it is shorter.
Result<Hash128> HashPrefix(const std::string& path, uint64_t bytes) {
  TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
  StreamingHasher hasher;
  std::string buffer(1 << 20, '\0');
  uint64_t left = bytes;
  while (left > 0) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(buffer.data(), std::min<uint64_t>(left, buffer.size())));
    if (n == 0) return OutOfRangeError(path + ": shorter than " + std::to_string(bytes) + " bytes");
    hasher.Update(std::string_view(buffer.data(), n));
    left -= n;
  }
  return hasher.Digest();
}

}  // namespace

Status VerifyResumedInputs(const RunState& state, const std::vector<SourceFile>& sources) {
  if (state.sources.size() != sources.size()) {
    return FailedPreconditionError("the inputs changed since the interrupted export: it read " +
                                   std::to_string(state.sources.size()) + " files, they now give " +
                                   std::to_string(sources.size()) + StartAgain());
  }
  for (size_t i = 0; i < sources.size(); ++i) {
    const SourceCounts& then = state.sources[i];
    const SourceFile& now = sources[i];
    if (then.path != now.name) {
      return FailedPreconditionError("the inputs changed since the interrupted export: input " +
                                     std::to_string(i + 1) + " was " + then.path + ", it is now " +
                                     now.name + StartAgain());
    }
    if (then.consumed_bytes == 0) continue;
    const std::string changed = now.name + " changed since the interrupted export: ";
    // The fast check first: a file shorter than what was read cannot be the same.
    if (now.size < then.consumed_bytes) {
      return FailedPreconditionError(changed + "it is " + std::to_string(now.size) +
                                     " bytes, and the export had already read " +
                                     std::to_string(then.consumed_bytes) + StartAgain());
    }
    Result<Hash128> hash = HashPrefix(now.path, then.consumed_bytes);
    if (!hash.has_value()) return FailedPreconditionError(changed + hash.error().message() + StartAgain());
    if (*hash != then.consumed_hash) {
      const bool same_stat = now.size == then.size && now.mtime_ns == then.mtime_ns;
      return FailedPreconditionError(changed + "its first " + std::to_string(then.consumed_bytes) +
                                     " bytes, already exported, are not the same" +
                                     (same_stat ? " (its size and modification time are)" : "") +
                                     StartAgain());
    }
  }
  return Status::Ok();
}

}  // namespace tunepack::pipeline
