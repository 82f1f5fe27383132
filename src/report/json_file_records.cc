#include "report/json_file_records.h"

#include "tunepack/ingest/record_reader.h"
#include "tunepack/io/file.h"

namespace tunepack::report {

bool IsJsonArrayFile(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

Status ForEachJsonFileRecord(const std::string& path, const JsonFileVisitor& visitor) {
  Result<std::string> text = io::ReadWholeFile(path);
  if (!text.has_value()) return NotFoundError(path + ": cannot read the file");
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader("json", ingest::StringByteSource(*text)));
  ingest::RecordBatch batch;
  while (true) {
    TP_ASSIGN_OR_RETURN(bool more, reader->Next(batch, 1 << 20));
    if (!more) return Status::Ok();
    for (const ingest::RecordSpan& span : batch.records) {
      if (!span.error.empty()) {
        TP_RETURN_IF_ERROR(visitor.on_error(span.line, span.error));
        continue;
      }
      TP_RETURN_IF_ERROR(visitor.on_record(
          span.line, std::string_view(batch.buffer).substr(span.begin, span.size)));
    }
  }
}

}  // namespace tunepack::report
