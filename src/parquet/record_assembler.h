// RecordAssembler: puts records back together from leaf columns' levels and values (the
// inverse of RecordShredder), writing each record as JSON text.
#pragma once

#include <string>
#include <vector>

#include "parquet/column_chunk_reader.h"
#include "parquet/read_schema.h"

namespace tunepack::parquet::internal {

class RecordAssembler {
 public:
  RecordAssembler(const ReadSchema& schema, const std::vector<ColumnValues>& columns, bool omit_nulls);

  // Appends the next record's JSON text to `out`. Errors (DataLoss) name the column whose
  // levels disagree with the others.
  Status Next(std::string& out);
  // Returns OK when every column has been read to its end.
  Status CheckFinished() const;

 private:
  struct Cursor {
    size_t entry = 0;
    size_t value = 0;
  };
  uint32_t Def(size_t leaf) const;
  uint32_t Rep(size_t leaf) const;
  Status Available(size_t leaf) const;
  bool IsNull(const ReadNode& node) const;
  Status SkipOne(const ReadNode& node);
  Status Value(const ReadNode& node, std::string& out);
  Status Struct(const ReadNode& node, std::string& out);
  Status Map(const ReadNode& node, std::string& out);

  const ReadSchema& schema_;
  const std::vector<ColumnValues>& columns_;
  std::vector<Cursor> cursors_;
  bool omit_nulls_;
};

}  // namespace tunepack::parquet::internal
