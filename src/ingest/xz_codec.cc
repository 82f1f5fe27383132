// xz through liblzma. The decoder's memory is capped (kMemoryLimit): a header asking for a
// larger dictionary is refused as corrupt rather than allocated.
#include <lzma.h>

#include <string>

#include "ingest/codec.h"

namespace tunepack::ingest::internal {
namespace {

constexpr uint64_t kMemoryLimit = 512u << 20;

class Xz : public Codec {
 public:
  ~Xz() override { lzma_end(&stream_); }
  Status Init() {
    // LZMA_CONCATENATED: concatenated .xz streams (and stream padding) are one file, as
    // `xz -d` reads them; the end is then only known when the input is finished.
    if (lzma_stream_decoder(&stream_, kMemoryLimit, LZMA_CONCATENATED) != LZMA_OK) {
      return InternalError("xz: cannot initialise");
    }
    return Status::Ok();
  }

  Result<CodecStep> Step(std::string_view in, char* out, size_t out_size,
                         bool input_finished) override {
    stream_.next_in = reinterpret_cast<const uint8_t*>(in.data());
    stream_.avail_in = in.size();
    stream_.next_out = reinterpret_cast<uint8_t*>(out);
    stream_.avail_out = out_size;
    const lzma_ret rc = lzma_code(&stream_, input_finished ? LZMA_FINISH : LZMA_RUN);
    const CodecStep step{in.size() - stream_.avail_in, out_size - stream_.avail_out,
                         rc == LZMA_STREAM_END};
    switch (rc) {
      case LZMA_OK:
      case LZMA_STREAM_END:
        return step;
      case LZMA_BUF_ERROR:  // no progress possible: the caller sees it and reports truncation
        return step;
      case LZMA_MEMLIMIT_ERROR:
        return DataLossError("corrupt xz data: needs more than " +
                             std::to_string(kMemoryLimit >> 20) + " MiB to decode");
      case LZMA_FORMAT_ERROR:
        return DataLossError("corrupt xz data: not an xz stream");
      default:
        return DataLossError("corrupt xz data (code " + std::to_string(static_cast<int>(rc)) + ")");
    }
  }

  Status Reset() override { return Status::Ok(); }  // LZMA_CONCATENATED reads on

 private:
  lzma_stream stream_ = LZMA_STREAM_INIT;
};

}  // namespace

Result<std::unique_ptr<Codec>> XzCodec() {
  auto codec = std::make_unique<Xz>();
  TP_RETURN_IF_ERROR(codec->Init());
  return std::unique_ptr<Codec>(std::move(codec));
}

}  // namespace tunepack::ingest::internal
