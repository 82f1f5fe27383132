// Writes one leaf column of a row group as a column chunk: an optional dictionary page,
// data pages (v1) cut at record boundaries, each compressed, and the chunk's metadata with
// statistics.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/leaf_column.h"
#include "parquet/metadata.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

// Appends the chunk for `column` to `out`; `chunk_offset` is where `out`'s new bytes
// will sit in the file. Returns the chunk's metadata.
Result<ColumnMetaData> WriteColumnChunk(const LeafColumn& column, const WriterOptions& options,
                                        uint64_t chunk_offset, std::string& out);

// Returns the physical type a field kind is stored as.
PhysicalType PhysicalTypeOf(FieldKind kind);
// Returns the parquet.thrift codec for `compression`.
Codec CodecOf(Compression compression);

}  // namespace tunepack::parquet::internal
