// bzip2 through libbz2.
#include <bzlib.h>

#include <algorithm>
#include <string>

#include "ingest/codec.h"

namespace tunepack::ingest::internal {
namespace {

class Bzip2 : public Codec {
 public:
  ~Bzip2() override { End(); }
  Status Init() {
    stream_ = bz_stream{};
    if (BZ2_bzDecompressInit(&stream_, 0, 0) != BZ_OK) return InternalError("bzip2: cannot initialise");
    live_ = true;
    return Status::Ok();
  }

  Result<CodecStep> Step(std::string_view in, char* out, size_t out_size, bool) override {
    stream_.next_in = const_cast<char*>(in.data());
    stream_.avail_in = static_cast<unsigned>(std::min<size_t>(in.size(), 1u << 30));
    stream_.next_out = out;
    stream_.avail_out = static_cast<unsigned>(std::min<size_t>(out_size, 1u << 30));
    const unsigned in_before = stream_.avail_in, out_before = stream_.avail_out;
    const int rc = BZ2_bzDecompress(&stream_);
    if (rc != BZ_OK && rc != BZ_STREAM_END) {
      return DataLossError(rc == BZ_DATA_ERROR_MAGIC ? "corrupt bzip2 data: not a bzip2 stream"
                                                     : "corrupt bzip2 data (code " + std::to_string(rc) + ")");
    }
    return CodecStep{in_before - stream_.avail_in, out_before - stream_.avail_out,
                     rc == BZ_STREAM_END};
  }

  Status Reset() override {
    End();
    return Init();
  }

 private:
  void End() {
    if (live_) BZ2_bzDecompressEnd(&stream_);
    live_ = false;
  }
  bz_stream stream_{};
  bool live_ = false;
};

}  // namespace

Result<std::unique_ptr<Codec>> Bzip2Codec() {
  auto codec = std::make_unique<Bzip2>();
  TP_RETURN_IF_ERROR(codec->Init());
  return std::unique_ptr<Codec>(std::move(codec));
}

}  // namespace tunepack::ingest::internal
