// Decodes a page's values (PLAIN, dictionary indices, DELTA_BINARY_PACKED,
// DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT, RLE booleans) and renders
// each as a JSON fragment, following the column's logical type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.h"
#include "tunepack/core/result.h"

namespace tunepack::parquet::internal {

// Fragments: JSON texts back to back; fragment i ends at ends[i].
struct Fragments {
  std::string text;
  std::vector<size_t> ends;
  size_t size() const { return ends.size(); }
  std::string_view at(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  void Append(std::string_view fragment) {
    text.append(fragment);
    ends.push_back(text.size());
  }
};

// LeafType: what a leaf column holds and how its values read as JSON.
struct LeafType {
  PhysicalType physical = PhysicalType::kByteArray;
  int32_t type_length = 0;
  std::optional<int32_t> converted;
  int16_t logical = 0;
  int32_t scale = 0;
  int16_t time_unit = 0;      ///< TIME and TIMESTAMP logical types: kTimeUnit...
  bool utc_adjusted = false;  ///< TIME and TIMESTAMP logical types: isAdjustedToUTC
};

// Decodes `count` values encoded with `encoding` from `data`, appending one fragment per
// value to `out`. `dictionary` holds the fragments of the chunk's dictionary page (for the
// dictionary encodings). Errors are DataLoss / Unimplemented without location (the caller
// adds file, row group and column). Dictionary lookups may not produce more than `budget`
// bytes of text (a one-entry dictionary of a long string repeated millions of times would
// otherwise blow up); `budget` is decreased by what they produce.
Status DecodeValues(const LeafType& type, Encoding encoding, std::string_view data, size_t count,
                    const Fragments* dictionary, uint64_t& budget, Fragments& out);

}  // namespace tunepack::parquet::internal
