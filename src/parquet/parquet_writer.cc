// ParquetWriter: buffers records for a row group, shreds them into leaf columns, writes
// the row group's column chunks, and the footer on Close. A schema given in the options is
// used from the first record; otherwise the first row group's records decide it (they are
// kept as text until it is written). Records are shredded as they come once it is fixed.
#include <cstring>

#include <simdjson.h>

#include "parquet/column_chunk_writer.h"
#include "parquet/metadata.h"
#include "parquet/record_shredder.h"
#include "parquet/schema_inference.h"
#include "parquet/schema_elements.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet {
namespace {

using namespace internal;  // NOLINT: this file is the module's writer

constexpr std::string_view kMagic = "PAR1";

class Writer : public ParquetWriter {
 public:
  Writer(OutputStream& out, WriterOptions options) : out_(out), options_(std::move(options)) {}

  Status Start() {
    if (options_.schema) TP_RETURN_IF_ERROR(UseSchema(*options_.schema));
    return Emit(kMagic);
  }

  Status Write(std::string_view json) override {
    if (closed_) return FailedPreconditionError("the Parquet writer is closed");
    simdjson::dom::element root;
    if (auto error = parser_.parse(json.data(), json.size(), true).get(root)) {
      return InvalidArgumentError(std::string("record is not JSON: ") + simdjson::error_message(error));
    }
    if (!root.is_object()) return InvalidArgumentError("record is not a JSON object");
    const simdjson::dom::object object = root.get_object().value_unsafe();
    if (shredder_ == nullptr) {
      inference_.Add(object);
      pending_.append(json);
      pending_ends_.push_back(pending_.size());
    } else {
      TP_RETURN_IF_ERROR(shredder_->Check(object));
      shredder_->Shred(object);
    }
    ++group_rows_;
    ++rows_;
    group_bytes_ += json.size();
    record_bytes_ += json.size();
    if (group_bytes_ >= options_.row_group_bytes) return FlushRowGroup();
    return Status::Ok();
  }

  Status Close() override {
    if (closed_) return Status::Ok();
    closed_ = true;
    if (group_rows_ > 0 || shredder_ == nullptr) {
      if (shredder_ == nullptr && group_rows_ == 0) {
        schema_ = inference_.Finish();
      } else {
        TP_RETURN_IF_ERROR(FlushRowGroup());
      }
    }
    metadata_.version = 1;
    metadata_.schema = SchemaElementsOf(schema_);
    metadata_.num_rows = static_cast<int64_t>(rows_);
    metadata_.created_by = options_.created_by;
    for (const auto& [key, value] : options_.metadata) metadata_.key_value_metadata.push_back({key, value});
    ThriftWriter thrift;
    WriteFileMetaData(metadata_, thrift);
    TP_RETURN_IF_ERROR(Emit(thrift.bytes()));
    char length[4];
    const uint32_t size = static_cast<uint32_t>(thrift.bytes().size());
    std::memcpy(length, &size, 4);
    TP_RETURN_IF_ERROR(Emit(std::string_view(length, 4)));
    return Emit(kMagic);
  }

  uint64_t rows() const override { return rows_; }
  uint64_t bytes_written() const override { return written_; }
  uint64_t record_bytes() const override { return record_bytes_; }
  uint64_t buffered_record_bytes() const override { return group_bytes_; }
  Field schema() const override { return shredder_ ? schema_ : inference_.Finish(); }

 private:
  Status Emit(std::string_view bytes) {
    TP_RETURN_IF_ERROR(out_.Write(bytes));
    written_ += bytes.size();
    return Status::Ok();
  }

  Status UseSchema(Field schema) {
    schema_ = std::move(schema);
    if (schema_.children.empty()) return InvalidArgumentError("the records have no fields: Parquet needs at least one column");
    shredder_ = std::make_unique<RecordShredder>(schema_);
    return Status::Ok();
  }

  // Fixes the schema from the buffered records and shreds them.
  Status FixSchema() {
    TP_RETURN_IF_ERROR(UseSchema(inference_.Finish()));
    size_t begin = 0;
    for (size_t end : pending_ends_) {
      simdjson::dom::element root;
      if (parser_.parse(pending_.data() + begin, end - begin, true).get(root)) {
        return InternalError("a buffered record no longer parses");
      }
      shredder_->Shred(root.get_object().value_unsafe());
      begin = end;
    }
    pending_.clear();
    pending_.shrink_to_fit();
    pending_ends_.clear();
    pending_ends_.shrink_to_fit();
    return Status::Ok();
  }

  Status FlushRowGroup() {
    if (shredder_ == nullptr) TP_RETURN_IF_ERROR(FixSchema());
    RowGroup group;
    group.num_rows = static_cast<int64_t>(group_rows_);
    group.file_offset = static_cast<int64_t>(written_);
    group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
    std::string chunk;
    for (LeafColumn& leaf : shredder_->leaves()) {
      chunk.clear();
      const uint64_t offset = written_;
      TP_ASSIGN_OR_RETURN(ColumnMetaData meta, WriteColumnChunk(leaf, options_, offset, chunk));
      TP_RETURN_IF_ERROR(Emit(chunk));
      ColumnChunk column;
      column.file_offset = meta.dictionary_page_offset.value_or(meta.data_page_offset);
      group.total_byte_size += meta.total_uncompressed_size;
      group.total_compressed_size += meta.total_compressed_size;
      column.meta_data = std::move(meta);
      group.columns.push_back(std::move(column));
      leaf.Clear();
    }
    metadata_.row_groups.push_back(std::move(group));
    group_rows_ = 0;
    group_bytes_ = 0;
    return Status::Ok();
  }

  OutputStream& out_;
  WriterOptions options_;
  simdjson::dom::parser parser_;
  SchemaInference inference_;
  std::string pending_;               // first row group's records, until the schema is fixed
  std::vector<size_t> pending_ends_;
  Field schema_;
  std::unique_ptr<RecordShredder> shredder_;
  FileMetaData metadata_;
  uint64_t rows_ = 0;
  uint64_t group_rows_ = 0;
  uint64_t group_bytes_ = 0;
  uint64_t record_bytes_ = 0;
  uint64_t written_ = 0;
  bool closed_ = false;
};

}  // namespace

struct SchemaBuilder::State {
  simdjson::dom::parser parser;
  SchemaInference inference;
};

SchemaBuilder::SchemaBuilder() : state_(std::make_unique<State>()) {}
SchemaBuilder::~SchemaBuilder() = default;
SchemaBuilder::SchemaBuilder(SchemaBuilder&&) noexcept = default;
SchemaBuilder& SchemaBuilder::operator=(SchemaBuilder&&) noexcept = default;

Status SchemaBuilder::Add(std::string_view json) {
  simdjson::dom::element root;
  if (auto error = state_->parser.parse(json.data(), json.size(), true).get(root)) {
    return InvalidArgumentError(std::string("record is not JSON: ") + simdjson::error_message(error));
  }
  if (!root.is_object()) return InvalidArgumentError("record is not a JSON object");
  state_->inference.Add(root.get_object().value_unsafe());
  return Status::Ok();
}

Field SchemaBuilder::Finish() const { return state_->inference.Finish(); }

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Create(OutputStream& out, WriterOptions options) {
  if (options.row_group_bytes == 0) return InvalidArgumentError("row group size must be positive");
  if (options.page_bytes == 0) return InvalidArgumentError("page size must be positive");
  auto writer = std::make_unique<Writer>(out, std::move(options));
  TP_RETURN_IF_ERROR(writer->Start());
  return std::unique_ptr<ParquetWriter>(std::move(writer));
}

}  // namespace tunepack::parquet
