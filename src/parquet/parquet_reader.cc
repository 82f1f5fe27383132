// ParquetReader: reads the footer, builds the read schema, and assembles one row group at a
// time. Every error names the file, and the row group and column when there is one.
#include <cstring>

#include "parquet/column_chunk_reader.h"
#include "parquet/compression.h"
#include "parquet/metadata.h"
#include "parquet/read_schema.h"
#include "parquet/record_assembler.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet {
namespace {

using namespace internal;  // NOLINT: this file is the module's reader

constexpr std::string_view kMagic = "PAR1";
// A footer larger than this is corrupt (real ones are kilobytes to a few megabytes).
constexpr uint32_t kMaxFooterBytes = 256u << 20;

Status WithContext(const Status& status, const std::string& where) {
  return Status(status.code(), where + ": " + status.message());
}

class Reader : public ParquetReader {
 public:
  Reader(std::unique_ptr<RandomAccessFile> file, ReaderOptions options)
      : file_(std::move(file)), options_(std::move(options)) {}

  Status Load() {
    const uint64_t size = file_->size();
    if (size < 12) return DataLossError("too short to be a Parquet file");
    std::string tail;
    TP_RETURN_IF_ERROR(file_->ReadAt(size - 8, 8, tail));
    std::string head;
    TP_RETURN_IF_ERROR(file_->ReadAt(0, 4, head));
    if (head != kMagic || tail.substr(4) != kMagic) return DataLossError("not a Parquet file (no PAR1 magic)");
    uint32_t footer_size;
    std::memcpy(&footer_size, tail.data(), 4);
    if (footer_size == 0 || footer_size > size - 12 || footer_size > kMaxFooterBytes) {
      return DataLossError("footer length " + std::to_string(footer_size) + " does not fit the file");
    }
    std::string footer;
    TP_RETURN_IF_ERROR(file_->ReadAt(size - 8 - footer_size, footer_size, footer));
    Result<FileMetaData> metadata = ParseFileMetaData(footer);
    if (!metadata.ok()) return WithContext(metadata.error(), "footer");
    metadata_ = std::move(*metadata);
    Result<ReadSchema> schema = BuildReadSchema(metadata_.schema);
    if (!schema.ok()) return WithContext(schema.error(), "schema");
    schema_ = std::move(*schema);
    if (metadata_.num_rows < 0) return DataLossError("negative row count");
    for (size_t g = 0; g < metadata_.row_groups.size(); ++g) {
      const RowGroup& group = metadata_.row_groups[g];
      if (group.columns.size() != schema_.leaves.size()) {
        return DataLossError("row group " + std::to_string(g) + " has " + std::to_string(group.columns.size()) +
                             " columns, the schema " + std::to_string(schema_.leaves.size()));
      }
      if (group.num_rows < 0) return DataLossError("row group " + std::to_string(g) + " has a negative row count");
    }
    return Status::Ok();
  }

  int64_t num_rows() const override { return metadata_.num_rows; }
  size_t num_row_groups() const override { return metadata_.row_groups.size(); }
  const Field& schema() const override { return schema_.field; }

  Status ReadRowGroup(size_t index, std::vector<std::string>& records) override {
    if (index >= metadata_.row_groups.size()) return OutOfRangeError(options_.display_name + ": no row group " + std::to_string(index));
    const RowGroup& group = metadata_.row_groups[index];
    const std::string where = options_.display_name + ": row group " + std::to_string(index);
    std::vector<ColumnValues> columns(schema_.leaves.size());
    uint64_t budget = options_.max_row_group_bytes;
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string column_where = where + ", column '" + schema_.leaves[c].path + "'";
      const ColumnChunk& chunk = group.columns[c];
      if (!chunk.meta_data) return DataLossError(column_where + ": column chunk without metadata");
      if (chunk.meta_data->path_in_schema.empty()) return DataLossError(column_where + ": column chunk without a path");
      Status status = ReadColumnChunk(*file_, *chunk.meta_data, schema_.leaves[c], budget, columns[c]);
      if (!status.ok()) return WithContext(status, column_where);
    }
    if (columns.empty() && group.num_rows > 0) return DataLossError(where + ": rows without columns");
    RecordAssembler assembler(schema_, columns, options_.omit_nulls);
    std::string record;
    for (int64_t row = 0; row < group.num_rows; ++row) {
      record.clear();
      Status status = assembler.Next(record);
      if (!status.ok()) return WithContext(status, where + ", row " + std::to_string(row));
      records.push_back(record);
    }
    Status finished = assembler.CheckFinished();
    if (!finished.ok()) return WithContext(finished, where);
    return Status::Ok();
  }

 private:
  std::unique_ptr<RandomAccessFile> file_;
  ReaderOptions options_;
  FileMetaData metadata_;
  ReadSchema schema_;
};

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<RandomAccessFile> file,
                                                           ReaderOptions options) {
  if (file == nullptr) return InvalidArgumentError("no file given");
  const std::string name = options.display_name;
  auto reader = std::make_unique<Reader>(std::move(file), std::move(options));
  Status status = reader->Load();
  if (!status.ok()) return WithContext(status, name);
  return std::unique_ptr<ParquetReader>(std::move(reader));
}

}  // namespace tunepack::parquet
