// Parquet as a record container: each row becomes the JSON object of its columns (nested
// lists and structs as JSON arrays and objects; a null value as JSON null, so no field
// vanishes). Parquet keeps its footer at the end while the bytes arrive as a stream (hashed
// on the way for the manifest and --resume), so they are first spooled to a temporary file;
// records are then assembled one row group at a time: memory is about one row group
// whatever the size of the file.
#include <deque>
#include <string>

#include "ingest/record_readers.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::ingest::internal {
namespace {

class ParquetRecordReader : public RecordReader {
 public:
  ParquetRecordReader(std::unique_ptr<ByteSource> source, const RecordReaderOptions& options)
      : source_(std::move(source)), max_record_bytes_(options.max_record_bytes) {}

  Result<bool> Next(RecordBatch& batch, size_t target_bytes) override {
    batch.buffer.clear();
    batch.records.clear();
    if (reader_ == nullptr) TP_RETURN_IF_ERROR(Open());
    while (batch.buffer.size() < target_bytes || batch.records.empty()) {
      if (pending_.empty()) {
        if (next_group_ >= reader_->num_row_groups()) break;
        std::vector<std::string> records;
        TP_RETURN_IF_ERROR(reader_->ReadRowGroup(next_group_++, records));
        for (std::string& r : records) pending_.push_back(std::move(r));
        continue;
      }
      std::string record = std::move(pending_.front());
      pending_.pop_front();
      ++row_;
      if (record.size() > max_record_bytes_) {
        batch.records.push_back({batch.buffer.size(), 0, row_, OversizeMessage(max_record_bytes_), 0});
        continue;
      }
      batch.records.push_back({batch.buffer.size(), record.size(), row_, {}, 0});
      batch.buffer.append(record);
    }
    if (batch.records.empty()) return false;
    PadBatch(batch);
    return true;
  }

 private:
  Status Open() {
    TP_ASSIGN_OR_RETURN(std::unique_ptr<parquet::RandomAccessFile> file,
                        parquet::SpoolToTemporaryFile([&](char* buffer, size_t size) { return source_->Read(buffer, size); }));
    parquet::ReaderOptions options;
    options.display_name = "Parquet";
    options.omit_nulls = false;  // records pass through verbatim: a null stays a field
    TP_ASSIGN_OR_RETURN(reader_, parquet::ParquetReader::Open(std::move(file), options));
    return Status::Ok();
  }

  std::unique_ptr<ByteSource> source_;
  size_t max_record_bytes_;
  std::unique_ptr<parquet::ParquetReader> reader_;
  std::deque<std::string> pending_;
  size_t next_group_ = 0;
  uint64_t row_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> OpenParquetReader(std::unique_ptr<ByteSource> source,
                                                const RecordReaderOptions& options) {
  return std::make_unique<ParquetRecordReader>(std::move(source), options);
}

}  // namespace tunepack::ingest::internal
