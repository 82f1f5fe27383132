#include "report/json_file_records.h"

#include "tunepack/ingest/record_reader.h"
#include "tunepack/io/file.h"

namespace tunepack::report {
namespace {

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string ContainerFileKind(const std::string& path) {
  if (EndsWith(path, ".json")) return "json";
  // Binary containers announce themselves by their first bytes, whatever the extension.
  Result<std::string> head = io::ReadFileHead(path, 16);
  if (!head.has_value()) return {};
  const ingest::RecordContainer* binary = ingest::FindBinaryContainer(*head);
  return binary ? binary->name : std::string();
}

Status ForEachContainerRecord(const std::string& path, const JsonFileVisitor& visitor) {
  const std::string container = ContainerFileKind(path);
  if (container.empty()) return InvalidArgumentError(path + ": not a record container file");
  Result<std::unique_ptr<io::InputFile>> file = io::InputFile::Open(path);
  if (!file.has_value()) return NotFoundError(path + ": cannot read the file");
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader(container, ingest::FileByteSource(std::move(*file))));
  ingest::RecordBatch batch;
  while (true) {
    Result<bool> more = reader->Next(batch, 1 << 20);
    if (!more.has_value()) return visitor.on_error(0, path + ": " + more.error().message());
    if (!*more) return Status::Ok();
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
