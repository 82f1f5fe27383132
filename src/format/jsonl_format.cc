// jsonl: {"text": ...}, one document or chunk per line, the continued-pretraining shape
// read by TRL (dataset_text_field), axolotl `completion`/`pretrain`, mistral-finetune and
// Together. The default format for documents.
// Reference: /work/shared/reference/formats.md sections 4, 5 and 7.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

bool Matches(element record) {
  return HasFieldOfType(record, "text", simdjson::dom::element_type::STRING);
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(object, "text", "text"));
  out.kind = ExampleKind::kText;
  out.text = text;
  CollectUnreadFields(object, {"text", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireText(example, "jsonl",
                                 "chatml to keep the turns as marked-up text, or a chat "
                                 "format such as openai or sharegpt"));
  JsonObjectWriter record(out);
  record.String("text", example.text);
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format JsonlFormat() {
  Format format;
  format.name = "jsonl";
  format.description = "Text JSONL: {\"text\": ...} for continued pretraining (default for documents)";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.reads_back_as_written = true;
  return format;
}

}  // namespace tunepack::format::internal
