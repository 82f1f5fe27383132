// ReadDataset: reads a dataset file in any registered format, one example at a time, for the
// commands that look at datasets rather than transform them (stats, and the data files an
// export just wrote).
//
// JSONL files are read line by line (memory stays constant). Plain-file formats (text,
// markdown, and chatml written as a file) are split by their format, which needs the whole
// file in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"

namespace tunepack::report {

// DatasetVisitor: what ReadDataset reports. A non-OK status from a callback stops reading
// and is returned.
struct DatasetVisitor {
  // Called once, before any record, with the format the file is read as.
  std::function<void(const format::Format& format)> on_format;
  // Called for each example, with the 1-based line it starts on (0 when unknown).
  std::function<Status(const Example& example, uint64_t line)> on_example;
  // Called for each record that is not a valid record of the format (bad JSON, wrong shape).
  std::function<Status(uint64_t line, const std::string& message)> on_unreadable;
};

// Reads `path` as `forced` (null: detected from the file's extension, or for JSONL from its
// first valid record) and reports its records to `visitor`.
// Errors: io's when the file cannot be opened or read (NotFound when it does not exist),
// InvalidArgument when no format fits.
Status ReadDataset(const std::string& path, const format::Format* forced,
                   const DatasetVisitor& visitor);

// WrittenRecordReader: reads one encoded record (as Format::write appended it) the way
// ReadDataset reads it back from the data file it goes to: the same parsing, the same UTF-8
// repair, the same unreadable records. An export measures its statistics with it while it
// writes, instead of reading its files back afterwards, and gets the same figures.
// One per thread (it owns a JSON parser).
class WrittenRecordReader {
 public:
  virtual ~WrittenRecordReader() = default;

  // Returns a reader for records of files named like `file_name` read as `format`, or null
  // when such files are not read record by record (ReadDataset reads them whole: containers,
  // plain-file formats with no separator); the caller then reads the files back.
  static std::unique_ptr<WrittenRecordReader> Create(const format::Format& format, const std::string& file_name);

  // Reports the examples read from `record` to `on_example` and counts the records that
  // would be unreadable in `unreadable`. FailedPrecondition when `record` would not read
  // the same alone as within its file (a JSON Lines record not ending with a newline, an
  // empty plain-file record); the caller then reads the files back.
  virtual Status Read(std::string_view record, const std::function<Status(const Example&)>& on_example,
                      uint64_t& unreadable) = 0;
};

}  // namespace tunepack::report
