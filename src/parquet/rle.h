// The RLE / bit-packing hybrid encoding Parquet uses for repetition and definition levels,
// dictionary indices and booleans (parquet-format Encodings.md, "RLE").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::parquet::internal {

// Returns the number of bits needed for values up to `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

// Appends the hybrid encoding of `values` (each < 2^bit_width) to `out`, without a length
// prefix. Runs of 8 or more equal values become RLE runs; the rest is bit-packed in groups
// of 8. Deterministic: the same values give the same bytes.
void EncodeRleHybrid(const std::vector<uint32_t>& values, int bit_width, std::string& out);

// Decodes `count` values of `bit_width` bits from `data` into `out` (appended). Errors
// (DataLoss) when the data ends early or a run is malformed.
Status DecodeRleHybrid(std::string_view data, int bit_width, size_t count, std::vector<uint32_t>& out);

// Decodes the legacy BIT_PACKED level encoding (most significant bit first).
Status DecodeBitPackedLegacy(std::string_view data, int bit_width, size_t count, std::vector<uint32_t>& out);

}  // namespace tunepack::parquet::internal
