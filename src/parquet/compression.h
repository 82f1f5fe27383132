// Page compression codecs: tunepack writes uncompressed, Snappy, ZSTD and GZIP pages and
// reads the same four (the codecs common writers use: pyarrow and DuckDB default to Snappy,
// Spark to Snappy, many pipelines to ZSTD; GZIP is older files').
#pragma once

#include <string>
#include <string_view>

#include "parquet/metadata.h"
#include "tunepack/core/result.h"

namespace tunepack::parquet::internal {

// Appends `data` compressed with `codec` to `out`.
Status Compress(Codec codec, std::string_view data, std::string& out);

// Decompresses `data` into `out` (replaced), which must come out exactly
// `uncompressed_size` bytes long. Errors name the codec.
Status Decompress(Codec codec, std::string_view data, size_t uncompressed_size, std::string& out);

// Returns the codec's name as parquet.thrift spells it ("SNAPPY").
std::string CodecName(Codec codec);

}  // namespace tunepack::parquet::internal
