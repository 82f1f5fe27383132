// Reads one column chunk: its pages (dictionary, data v1 and v2), decompressed, into levels
// and JSON value fragments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/read_schema.h"
#include "parquet/value_decoder.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

struct ColumnValues {
  std::vector<uint32_t> def;  // empty when the leaf's max_def is 0 (all present)
  std::vector<uint32_t> rep;  // empty when the leaf's max_rep is 0
  size_t entries = 0;
  Fragments values;
};

// Reads the chunk `meta` of a leaf `leaf` from `file`. `budget` is how many decompressed
// bytes the row group may still use; it is decreased. Errors carry no location.
Status ReadColumnChunk(RandomAccessFile& file, const ColumnMetaData& meta, const ReadLeaf& leaf,
                       uint64_t& budget, ColumnValues& out);

}  // namespace tunepack::parquet::internal
