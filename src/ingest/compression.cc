// The compressed-input registry and DecompressingSource, which drives a Codec: it buffers
// input, reads concatenated streams one after another, tells truncation from a clean end,
// and stops at the output cap.
#include "tunepack/ingest/compression.h"

#include <algorithm>
#include <cctype>

#include "ingest/codec.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::ingest {
namespace {

struct Entry {
  Compression compression;
  Result<std::unique_ptr<internal::Codec>> (*make_codec)();
};

const std::vector<Entry>& Entries() {
  static const std::vector<Entry>* const entries = new std::vector<Entry>{
      {{"gzip", {".gz"}, std::string("\x1F\x8B", 2)}, &internal::GzipCodec},
      {{"zstd", {".zst", ".zstd"}, "\x28\xB5\x2F\xFD"}, &internal::ZstdCodec},
      {{"bzip2", {".bz2"}, "BZh"}, &internal::Bzip2Codec},
      {{"xz", {".xz"}, std::string("\xFD" "7zXZ\0", 6)}, &internal::XzCodec},
  };
  return *entries;
}

constexpr size_t kInputChunk = 64 << 10;
// Input a codec may hold back without producing anything before the data is judged
// corrupt (every codec here makes progress on far less).
constexpr size_t kMaxStalledInput = 16 << 20;

class Decompressor : public DecompressingSource {
 public:
  Decompressor(std::string name, std::unique_ptr<internal::Codec> codec,
               std::unique_ptr<ByteSource> source, uint64_t max_output_bytes)
      : name_(std::move(name)),
        codec_(std::move(codec)),
        source_(std::move(source)),
        max_output_bytes_(max_output_bytes) {}

  std::optional<RejectReason> reason() const override { return reason_; }
  uint64_t output_bytes() const override { return output_bytes_; }

  Result<size_t> Read(char* buffer, size_t size) override {
    if (!failure_.ok()) return failure_;
    if (done_ || size == 0) return size_t{0};
    while (true) {
      if (pos_ == in_.size() && !eof_) TP_RETURN_IF_ERROR(Refill());
      const std::string_view in(in_.data() + pos_, in_.size() - pos_);
      if (in.empty() && !in_stream_) {
        done_ = true;  // every stream ended and nothing follows
        return size_t{0};
      }
      if (!in_stream_) {
        if (streams_ > 0) {
          Status reset = codec_->Reset();
          if (!reset.ok()) return Fail(RejectReason::kCorruptCompressed, reset);
        }
        in_stream_ = true;
        ++streams_;
      }
      Result<internal::CodecStep> step = codec_->Step(in, buffer, size, eof_);
      if (!step.has_value()) return Fail(RejectReason::kCorruptCompressed, step.error());
      pos_ += step->consumed;
      if (step->stream_end) in_stream_ = false;
      if (step->produced > 0) {
        output_bytes_ += step->produced;
        if (output_bytes_ > max_output_bytes_) {
          return Fail(RejectReason::kDecompressedTooLarge,
                      ResourceExhaustedError(name_ + " data decompresses to more than " +
                                             std::to_string(max_output_bytes_) +
                                             " bytes (" + OptionRef("max-decompressed-bytes") + ")"));
        }
        return step->produced;
      }
      if (step->consumed > 0 || step->stream_end) continue;
      // No progress: the codec needs more input than there is.
      if (eof_) {
        return Fail(RejectReason::kCorruptCompressed,
                    DataLossError("truncated " + name_ + " data: the file ends inside a stream"));
      }
      TP_RETURN_IF_ERROR(Refill());
    }
  }

 private:
  // Appends the next chunk of input, keeping what the codec has not consumed yet.
  Status Refill() {
    in_.erase(0, pos_);
    pos_ = 0;
    if (in_.size() > kMaxStalledInput) {
      return Fail(RejectReason::kCorruptCompressed,
                  DataLossError("corrupt " + name_ + " data: no output from " +
                                std::to_string(in_.size()) + " bytes"));
    }
    const size_t kept = in_.size();
    in_.resize(kept + kInputChunk);
    Result<size_t> n = source_->Read(in_.data() + kept, kInputChunk);
    if (!n.has_value()) {
      in_.resize(kept);
      return n.error();
    }
    in_.resize(kept + *n);
    if (*n == 0) eof_ = true;
    return Status::Ok();
  }

  Status Fail(RejectReason reason, Status status) {
    reason_ = reason;
    failure_ = status;
    return status;
  }

  std::string name_;
  std::unique_ptr<internal::Codec> codec_;
  std::unique_ptr<ByteSource> source_;
  uint64_t max_output_bytes_;
  std::string in_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool done_ = false;
  bool in_stream_ = false;
  uint64_t streams_ = 0;
  uint64_t output_bytes_ = 0;
  std::optional<RejectReason> reason_;
  Status failure_;
};

}  // namespace

const std::vector<Compression>& BuiltinCompressions() {
  static const std::vector<Compression>* const compressions = [] {
    auto* out = new std::vector<Compression>;
    for (const Entry& entry : Entries()) out->push_back(entry.compression);
    return out;
  }();
  return *compressions;
}

const Compression* DetectCompression(std::string_view head) {
  for (const Compression& compression : BuiltinCompressions()) {
    if (head.substr(0, compression.magic.size()) == compression.magic) return &compression;
  }
  return nullptr;
}

std::string InnerName(std::string_view path, const Compression& compression) {
  for (const std::string& extension : compression.extensions) {
    if (path.size() <= extension.size()) continue;
    const std::string_view tail = path.substr(path.size() - extension.size());
    const bool same = std::equal(tail.begin(), tail.end(), extension.begin(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == b;
    });
    if (same && path[path.size() - extension.size() - 1] != '/') {
      return std::string(path.substr(0, path.size() - extension.size()));
    }
  }
  return std::string(path);
}

Result<std::unique_ptr<DecompressingSource>> DecompressingSource::Open(
    const Compression& compression, std::unique_ptr<ByteSource> source, uint64_t max_output_bytes) {
  for (const Entry& entry : Entries()) {
    if (entry.compression.name != compression.name) continue;
    TP_ASSIGN_OR_RETURN(std::unique_ptr<internal::Codec> codec, entry.make_codec());
    return std::unique_ptr<DecompressingSource>(std::make_unique<Decompressor>(
        compression.name, std::move(codec), std::move(source), max_output_bytes));
  }
  return InvalidArgumentError("unknown compression '" + compression.name + "'");
}

}  // namespace tunepack::ingest
