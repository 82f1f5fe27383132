// text: a plain .txt file, one document or chunk after another, separated by a line
// holding only <|endoftext|>, the document separator of GPT-2-style pretraining corpora.
// Text that itself contains <|endoftext|> is refused, which keeps split(write(x)) == x:
// the marker then appears only between records, so cutting at it is exact.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/plain_file.h"

namespace tunepack::format::internal {
namespace {

constexpr std::string_view kMarker = "<|endoftext|>";
constexpr std::string_view kSeparator = "\n<|endoftext|>\n";

Status Split(std::string_view file_text,
             const std::function<void(Example&&, uint64_t line)>& emit) {
  return ForEachPart(file_text, kSeparator, [&](std::string_view part, uint64_t line) {
    Example example;
    example.kind = ExampleKind::kText;
    example.text = part;
    emit(std::move(example), line);
    return Status::Ok();
  });
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireText(example, "text",
                                 "chatml to keep the turns as marked-up text, or a chat "
                                 "format such as openai or sharegpt"));
  TP_RETURN_IF_ERROR(RefuseMarker(example.text, kMarker, "text",
                                  "text files use it to separate records"));
  out += example.text;
  return Status::Ok();
}

}  // namespace

Format TextFormat() {
  Format format;
  format.name = "text";
  format.description = "Plain text file: records separated by a line holding <|endoftext|>";
  format.extension = ".txt";
  format.separator = std::string(kSeparator);
  format.split = Split;
  format.write = Write;
  format.holds_metadata = false;
  return format;
}

}  // namespace tunepack::format::internal
