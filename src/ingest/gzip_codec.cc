// gzip through zlib's inflate.
#include <zlib.h>

#include <string>

#include "ingest/codec.h"

namespace tunepack::ingest::internal {
namespace {

class Gzip : public Codec {
 public:
  ~Gzip() override { inflateEnd(&z_); }
  Status Init() {
    // 15 + 16: a 32 KiB window, gzip wrapper only (a zlib stream is not a .gz file).
    if (inflateInit2(&z_, 15 + 16) != Z_OK) return InternalError("zlib: cannot initialise");
    return Status::Ok();
  }

  Result<CodecStep> Step(std::string_view in, char* out, size_t out_size, bool) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 1u << 30));
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(out_size, 1u << 30));
    const uInt in_before = z_.avail_in, out_before = z_.avail_out;
    const int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      return DataLossError(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "inflate failed"));
    }
    return CodecStep{in_before - z_.avail_in, out_before - z_.avail_out, rc == Z_STREAM_END};
  }

  Status Reset() override {
    if (inflateReset(&z_) != Z_OK) return InternalError("zlib: cannot reset");
    return Status::Ok();
  }

 private:
  z_stream z_{};
};

}  // namespace

Result<std::unique_ptr<Codec>> GzipCodec() {
  auto codec = std::make_unique<Gzip>();
  TP_RETURN_IF_ERROR(codec->Init());
  return std::unique_ptr<Codec>(std::move(codec));
}

}  // namespace tunepack::ingest::internal
