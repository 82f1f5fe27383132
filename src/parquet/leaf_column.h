// LeafColumn: the values and levels of one leaf column for the row group being built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

struct LeafColumn {
  FieldKind kind = FieldKind::kString;  ///< kString, kJson, kInt64, kDouble or kBool
  std::vector<std::string> path;        ///< path_in_schema
  int max_def = 0;
  int max_rep = 0;

  // One entry per level pair (a value or a null at some depth).
  std::vector<uint32_t> def;
  std::vector<uint32_t> rep;
  // Non-null values, by kind: strings/JSON back to back in `bytes` (value i ends at
  // ends[i]); numbers and booleans in their own vectors.
  std::string bytes;
  std::vector<size_t> ends;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<uint8_t> bools;

  bool is_bytes() const { return kind == FieldKind::kString || kind == FieldKind::kJson; }
  size_t value_count() const {
    return is_bytes() ? ends.size() : kind == FieldKind::kInt64 ? ints.size()
                                    : kind == FieldKind::kDouble ? doubles.size() : bools.size();
  }
  std::string_view string_value(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
  void Clear() {
    def.clear();
    rep.clear();
    bytes.clear();
    ends.clear();
    ints.clear();
    doubles.clear();
    bools.clear();
  }
};

}  // namespace tunepack::parquet::internal
