// zstd through libzstd's streaming decoder. The window is capped at libzstd's default
// limit (128 MiB), so a frame cannot make the decoder allocate more.
#include <zstd.h>

#include <string>

#include "ingest/codec.h"

namespace tunepack::ingest::internal {
namespace {

class Zstd : public Codec {
 public:
  ~Zstd() override { ZSTD_freeDStream(stream_); }
  Status Init() {
    stream_ = ZSTD_createDStream();
    if (stream_ == nullptr) return InternalError("zstd: cannot create a decoder");
    return Status::Ok();
  }

  Result<CodecStep> Step(std::string_view in, char* out, size_t out_size, bool) override {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out, out_size, 0};
    const size_t rc = ZSTD_decompressStream(stream_, &output, &input);
    if (ZSTD_isError(rc)) {
      return DataLossError(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
    }
    // 0: a frame is complete and fully flushed; the next call starts a new one.
    return CodecStep{input.pos, output.pos, rc == 0};
  }

  Status Reset() override { return Status::Ok(); }  // the decoder moves on to the next frame

 private:
  ZSTD_DStream* stream_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Codec>> ZstdCodec() {
  auto codec = std::make_unique<Zstd>();
  TP_RETURN_IF_ERROR(codec->Init());
  return std::unique_ptr<Codec>(std::move(codec));
}

}  // namespace tunepack::ingest::internal
