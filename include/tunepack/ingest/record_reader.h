// Record readers split a container file (JSONL, JSON array, CSV, Parquet) into records, in
// streaming fashion and in constant memory (except JSON arrays and Parquet files, which are
// read whole). Each record comes out as JSON object text: a CSV row becomes
// {"header": "value", ...}, a Parquet row the JSON object of its columns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/registry.h"
#include "tunepack/core/result.h"
#include "tunepack/core/utf8.h"

namespace tunepack::io {
class InputFile;
}  // namespace tunepack::io

namespace tunepack::ingest {

// ByteSource: where a record reader reads from (a file, stdin, a string in tests).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buffer`; returns 0 at the end of input.
  virtual Result<size_t> Read(char* buffer, size_t size) = 0;
};

// Returns a ByteSource over `bytes` (not owned; must outlive the source).
std::unique_ptr<ByteSource> StringByteSource(std::string_view bytes);
// Returns a ByteSource that streams `file` (a Parquet file is then spooled by its reader,
// JSON Lines-like containers are read a chunk at a time).
std::unique_ptr<ByteSource> FileByteSource(std::unique_ptr<io::InputFile> file);

// Returns a ByteSource yielding `source`'s bytes as UTF-8, for record containers written
// in other encodings (UTF-16 JSONL from PowerShell, Shift_JIS or Windows-1252 CSV from
// spreadsheets). The encoding is decided on the first 64 KiB, as DecodeToUtf8 decides it:
// when that is UTF-8 (ASCII included) the bytes pass through untouched, minus a BOM, and
// invalid sequences are left to the record's consumer; otherwise the bytes are converted
// as they stream, invalid sequences following `policy` (under kFail, Read returns DataLoss
// naming the byte offset). `encoding`, when given, receives the encoding's name.
Result<std::unique_ptr<ByteSource>> OpenDecodingSource(std::unique_ptr<ByteSource> source,
                                                       InvalidUtf8Policy policy,
                                                       std::string* encoding = nullptr);

// Returns `source` as UTF-8 when its first 64 KiB show UTF-16 or UTF-32 (a BOM, or NULs in
// every other byte), converted as OpenDecodingSource converts; any other bytes pass through
// untouched, so that invalid UTF-8 is left to the record's consumer and --on-invalid-utf8.
// OpenRecordReader reads every container through it: record readers split at byte '\n'.
Result<std::unique_ptr<ByteSource>> OpenWideDecodingSource(std::unique_ptr<ByteSource> source,
                                                           InvalidUtf8Policy policy);

// Returns true when `head` (a file's first 64 KiB) is UTF-16 or UTF-32 text, which record
// readers read converted to UTF-8 (so its '\n' bytes are not where its lines end).
bool IsWideUnicodeHead(std::string_view head);

// RecordSpan: one record inside RecordBatch::buffer.
struct RecordSpan {
  size_t begin = 0;      ///< offset in RecordBatch::buffer
  size_t size = 0;       ///< length of the record's JSON text
  uint64_t line = 0;     ///< 1-based line where the record starts in the source
  std::string error;     ///< non-empty: the record could not be split out (too large, bad
                         ///< CSV quoting...); says why, and `size` may be 0
  uint64_t column = 0;   ///< 1-based column of the error, when known
  bool oversize = false; ///< the error is the record being over max_record_bytes
};

// RecordBatch: records back to back in one buffer. `buffer` always has at least
// kRecordPadding readable bytes after the last record, so JSON parsers that read ahead
// (simdjson) can parse records in place.
struct RecordBatch {
  std::string buffer;
  std::vector<RecordSpan> records;
};

inline constexpr size_t kRecordPadding = 64;

struct RecordReaderOptions {
  size_t max_record_bytes = 64u << 20;  ///< larger records are reported as errors, and skipped
  char csv_delimiter = ',';             ///< field separator for "csv" (use '\t' for TSV)
  // What the CSV reader does with field bytes that are not valid UTF-8 (it must build JSON
  // strings from them). kFail turns the row into a RecordSpan error naming the column.
  // JSONL and JSON records are passed through as bytes; the JSON parser downstream checks
  // their UTF-8. Also what converting a UTF-16/32 container does with invalid sequences.
  InvalidUtf8Policy csv_invalid_utf8 = InvalidUtf8Policy::kReplace;
  // JSON Lines only: the source starts at a line start inside a file whose first bytes were
  // already judged plain UTF-8 bytes (not UTF-16/32): a rank of a sharded export reading its
  // byte range. Its lines are numbered from `first_line`; no BOM is looked for and the
  // source is not re-judged from its own first bytes, which are the middle of a file.
  bool continues_file = false;
  uint64_t first_line = 1;  ///< the 1-based line number of the source's first line
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Clears `batch` and fills it with the next records, stopping once about `target_bytes`
  // have been gathered. Returns false when the input is exhausted and `batch` is empty.
  // Blank lines in JSONL are skipped (they are not records).
  virtual Result<bool> Next(RecordBatch& batch, size_t target_bytes) = 0;
};

// Opens a reader for `container` ("jsonl", "json" or "csv") over `source`.
// Errors: InvalidArgument naming the known containers when `container` is not one of them.
Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::string_view container,
                                                       std::unique_ptr<ByteSource> source,
                                                       const RecordReaderOptions& options = {});

// RecordContainer: a registered record container format.
struct RecordContainer {
  std::string name;                     ///< "jsonl", "json", "csv"
  std::vector<std::string> extensions;  ///< lower-case, with the dot: ".jsonl", ".ndjson"
  std::string description;              ///< one line, for `tunepack readers`
  std::unique_ptr<RecordReader> (*open)(std::unique_ptr<ByteSource> source,
                                        const RecordReaderOptions& options) = nullptr;
  // The bytes every file of a binary container starts with ("PAR1" for Parquet). Empty for
  // text containers. A binary container is recognised by them whatever its extension, and
  // its bytes reach the reader as they are (no text decoding).
  std::string magic = {};
};

using RecordContainerRegistry = Registry<RecordContainer>;

// Adds the built-in containers (jsonl, json, csv, parquet) to `registry`.
Status RegisterBuiltinRecordContainers(RecordContainerRegistry& registry);

// Returns the registry holding the built-in containers; OpenRecordReader looks names up here.
const RecordContainerRegistry& BuiltinRecordContainers();

// Returns the binary container (Parquet) whose magic `head` (a file's first bytes) starts
// with, or nullptr.
const RecordContainer* FindBinaryContainer(std::string_view head);

}  // namespace tunepack::ingest
