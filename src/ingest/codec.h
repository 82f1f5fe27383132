// Codec: one compressed-stream format's decoder, driven by DecompressingSource
// (compression.cc), which owns buffering, concatenated streams, truncation and the output
// cap. One file per format. Internal to the ingest module.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::ingest::internal {

struct CodecStep {
  size_t consumed = 0;      ///< input bytes used
  size_t produced = 0;      ///< output bytes written
  bool stream_end = false;  ///< a complete stream (gzip member, zstd frame...) just ended
};

class Codec {
 public:
  virtual ~Codec() = default;
  // Decodes from `in` into `out`. `input_finished`: no input follows `in`.
  // Errors: DataLoss naming what is wrong with the data.
  virtual Result<CodecStep> Step(std::string_view in, char* out, size_t out_size,
                                 bool input_finished) = 0;
  // Gets ready for the next concatenated stream after one ended.
  virtual Status Reset() = 0;
};

Result<std::unique_ptr<Codec>> GzipCodec();   // gzip_codec.cc
Result<std::unique_ptr<Codec>> ZstdCodec();   // zstd_codec.cc
Result<std::unique_ptr<Codec>> Bzip2Codec();  // bzip2_codec.cc
Result<std::unique_ptr<Codec>> XzCodec();     // xz_codec.cc

}  // namespace tunepack::ingest::internal
