// Parquet files: tunepack's own writer and reader (Debian has no Arrow). Records are JSON
// objects; the Parquet schema follows their shape: strings, int64, double, bool, nested
// objects (structs) and arrays (lists, the standard three-level form), every field
// optional. A field whose values do not share one type (or are only ever null, or empty
// objects) is stored as JSON text with the JSON logical type, which tunepack reads back as
// the values they were.
//
// Example:
//   StringOutput out;
//   auto writer = ParquetWriter::Create(out, {});
//   (*writer)->Write(R"({"messages": [{"role": "user", "content": "hi"}]})");
//   (*writer)->Close();
//   auto reader = ParquetReader::Open(MemoryFile(out.bytes), {});
//   std::vector<std::string> records;
//   (*reader)->ReadRowGroup(0, records);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/enum_table.h"
#include "tunepack/core/result.h"

namespace tunepack::parquet {

// Compression: how pages are compressed.
enum class Compression { kNone, kSnappy, kZstd, kGzip };

inline constexpr EnumTable<Compression, 4> kCompressions{
    "parquet-compression",
    {{{Compression::kSnappy, "snappy"},
      {Compression::kZstd, "zstd"},
      {Compression::kGzip, "gzip"},
      {Compression::kNone, "none"}}}};

// FieldKind: the type of one schema field.
enum class FieldKind { kString, kInt64, kDouble, kBool, kJson, kStruct, kList };

// Field: one node of a file's schema. A struct's `children` are its fields in the order
// they were first seen; a list has one child, its element (named "element").
struct Field {
  std::string name;
  FieldKind kind = FieldKind::kString;
  std::vector<Field> children;
};

// OutputStream: where a writer's bytes go (a file, a string in tests).
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual Status Write(std::string_view bytes) = 0;
};

// StringOutput: an OutputStream that keeps the bytes in memory.
class StringOutput : public OutputStream {
 public:
  Status Write(std::string_view data) override {
    bytes.append(data);
    return Status::Ok();
  }
  std::string bytes;
};

struct WriterOptions {
  Compression compression = Compression::kSnappy;
  // A row group is written once the records buffered for it reach this many bytes (of
  // JSON text); memory is bounded by about one row group.
  size_t row_group_bytes = 100u << 20;
  // Data pages are cut at record boundaries once they hold about this many value bytes.
  size_t page_bytes = 1u << 20;
  // Strings with few distinct values in a row group are dictionary-encoded.
  bool dictionary = true;
  std::string created_by = "tunepack";
  // Extra key/value pairs for the footer, in this order.
  std::vector<std::pair<std::string, std::string>> metadata;
  // The schema (a root struct, as SchemaBuilder::Finish returns it), when it is known before
  // the first record: every record that fits it is taken, however late its fields first
  // appear, and the first row group is not held as text. Unset: the first row group's
  // records decide it.
  std::optional<Field> schema;
};

// SchemaBuilder: the schema that fits every record it is given, the way a writer infers
// it (objects as structs, arrays as lists, ints mixed with doubles as double, any other mix
// as JSON text). A caller that can read its records twice gives the writer this schema
// (WriterOptions::schema) so that no record after the first row group is refused, and so
// that several files (shards) share one schema.
class SchemaBuilder {
 public:
  SchemaBuilder();
  ~SchemaBuilder();
  SchemaBuilder(SchemaBuilder&&) noexcept;
  SchemaBuilder& operator=(SchemaBuilder&&) noexcept;

  // Widens the schema to fit `json_object`; InvalidArgument when it is not a JSON object.
  Status Add(std::string_view json_object);
  // Returns the schema so far (the root struct).
  Field Finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ParquetWriter: streams JSON records into one Parquet file. Same records and options,
// same bytes.
class ParquetWriter {
 public:
  virtual ~ParquetWriter() = default;

  // Starts a file on `out` (which must outlive the writer).
  static Result<std::unique_ptr<ParquetWriter>> Create(OutputStream& out, WriterOptions options);

  // Adds one record, the text of a JSON object. Without WriterOptions::schema, until the
  // first row group is written, the schema grows to fit every record. After that (or from
  // the start when the schema was given) the schema is fixed: a record with a field
  // the schema lacks, or a value of another type, is refused (InvalidArgument naming the
  // field) and nothing of it is written; the file stays valid.
  virtual Status Write(std::string_view json_object) = 0;

  // Writes the last row group and the footer. The writer takes no records after it.
  virtual Status Close() = 0;

  // Returns the records accepted so far.
  virtual uint64_t rows() const = 0;
  // Returns the bytes handed to the output so far (the whole file after Close).
  virtual uint64_t bytes_written() const = 0;
  // Returns the JSON bytes of the records accepted so far (the "uncompressed" size).
  virtual uint64_t record_bytes() const = 0;
  // Returns the JSON bytes of the records buffered for the row group not yet written.
  virtual uint64_t buffered_record_bytes() const = 0;
  // Returns the schema: the root struct, whose children are the top-level fields. Final
  // once the first row group is written; before that, the schema of the records so far.
  virtual Field schema() const = 0;
};

// RandomAccessFile: what a reader reads from (Parquet's footer is at the end).
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual uint64_t size() const = 0;
  // Reads `size` bytes at `offset` into `out` (replaced); errors when fewer are there.
  virtual Status ReadAt(uint64_t offset, size_t size, std::string& out) = 0;
};

// Returns a RandomAccessFile over `bytes`.
std::unique_ptr<RandomAccessFile> MemoryFile(std::string bytes);
// Opens the file at `path` for reading.
Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccessFile(const std::string& path);
// Copies everything `read` yields (until it returns 0) into an unnamed temporary file (in
// $TMPDIR, else /tmp; unlinked at once, so it is gone when closed) and returns that file.
// Parquet keeps its footer at the end: a file that arrives as a stream is spooled to disk
// rather than held in memory, so reading it takes about one row group of memory.
Result<std::unique_ptr<RandomAccessFile>> SpoolToTemporaryFile(
    const std::function<Result<size_t>(char* buffer, size_t size)>& read);

struct ReaderOptions {
  // The name errors give the file ("data.parquet"); errors also name the row group and column.
  std::string display_name = "parquet";
  // Leaves out object fields whose value is null. Off by default: a null value is read as
  // JSON null, as DuckDB and hyparquet read it, so no field of a record disappears and
  // Parquet -> JSONL -> Parquet keeps every column (Parquet cannot tell a missing field
  // from a null one, so a field missing from a record written also reads back as null).
  bool omit_nulls = false;
  // Row groups whose column chunks together exceed this many (decompressed) bytes are
  // refused instead of read: memory is bounded by one row group.
  uint64_t max_row_group_bytes = 2ull << 30;
};

// ParquetReader: reads a Parquet file back into JSON records, one row group at a time.
class ParquetReader {
 public:
  virtual ~ParquetReader() = default;

  // Reads and checks the footer and schema. Errors (DataLoss, Unimplemented) name the file.
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessFile> file,
                                                     ReaderOptions options);

  virtual int64_t num_rows() const = 0;
  virtual size_t num_row_groups() const = 0;
  // Returns the schema as tunepack sees it (the root struct).
  virtual const Field& schema() const = 0;
  // Appends the records of row group `index`, each the text of a JSON object, to `records`.
  // Errors name the file, row group and column.
  virtual Status ReadRowGroup(size_t index, std::vector<std::string>& records) = 0;
};

}  // namespace tunepack::parquet
