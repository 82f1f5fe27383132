// Compressed inputs: gzip, zstd, bzip2 and xz files are read through a streaming
// decompressor, and the name inside (README.gz -> README, data.jsonl.zst -> data.jsonl)
// decides the type, as if the file had never been compressed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"
#include "tunepack/ingest/record_reader.h"

namespace tunepack::ingest {

// Compression: a registered compressed-stream format.
struct Compression {
  std::string name;                     ///< "gzip", "zstd", "bzip2", "xz"
  std::vector<std::string> extensions;  ///< lower-case, with the dot: ".gz"
  std::string magic;                    ///< the bytes every stream starts with
};

// Returns the built-in compressions, in the order they are tried.
const std::vector<Compression>& BuiltinCompressions();

// Returns the compression whose signature `head` starts with, or nullptr. Content decides,
// not the name: a gzip file called notes.txt is decompressed too.
const Compression* DetectCompression(std::string_view head);

// Returns `path` without the compression's extension when it has one ("a/b.jsonl.gz" ->
// "a/b.jsonl"), else `path` unchanged: the name whose extension picks the reader.
std::string InnerName(std::string_view path, const Compression& compression);


// DecompressingSource: the decompressed bytes of another ByteSource, streamed in constant
// memory. Concatenated streams (multi-member gzip, several zstd frames, pbzip2 output,
// concatenated xz) are read one after the other.
// Read errors: DataLoss for corrupt or truncated data ("truncated gzip stream"),
// ResourceExhausted once more than `max_output_bytes` came out (a decompression bomb is
// stopped there, without having been held in memory); reason() then names the ledger
// reason. Errors of the underlying source pass through with no reason().
class DecompressingSource : public ByteSource {
 public:
  static Result<std::unique_ptr<DecompressingSource>> Open(const Compression& compression,
                                                           std::unique_ptr<ByteSource> source,
                                                           uint64_t max_output_bytes);
  // Nothing, RejectReason::kCorruptCompressed or RejectReason::kDecompressedTooLarge.
  virtual std::optional<RejectReason> reason() const = 0;
  // Decompressed bytes returned so far.
  virtual uint64_t output_bytes() const = 0;
};

}  // namespace tunepack::ingest
