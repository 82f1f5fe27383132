// chatml: a conversation rendered as ChatML text, '<|im_start|>role\ncontent<|im_end|>\n'
// per turn (OpenAI chatml.md, axolotl's chatml template), stored as {"text": ...} JSONL the
// way TRL, axolotl `completion` and LLaMA-Factory pretraining read pre-rendered chats.
// Reference: /work/shared/reference/formats.md section 4.
//
// As a plain file (the split hook), conversations follow each other separated by one blank
// line. Tool calls, tool schemas, names and weight 0 have no ChatML form and are refused;
// so is content holding <|im_start|> or <|im_end|>, which would forge turn boundaries.
#include "format/builtin_formats.h"
#include "format/conversation_checks.h"
#include "format/json_fields.h"
#include "format/plain_file.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kStart = "<|im_start|>";
constexpr std::string_view kEnd = "<|im_end|>";

bool Matches(element record) {
  std::string_view text;
  if (record["text"].get_string().get(text) != simdjson::SUCCESS) return false;
  // Starts with, not contains: a document that merely mentions the marker is plain text.
  return text.substr(0, kStart.size()) == kStart;
}

// Parses the turns at text[pos...]; stops at the end, or (when `stop_at_blank_line`) at a
// blank line after a turn, leaving `pos` past it. `field` prefixes error messages.
Status ParseTurns(std::string_view text, size_t& pos, bool stop_at_blank_line,
                  std::string_view field, Example& out) {
  out.kind = ExampleKind::kConversation;
  while (pos < text.size()) {
    const std::string turn_field = IndexedField(std::string(field) + " turn", out.messages.size());
    if (text.substr(pos, kStart.size()) != kStart) {
      return FieldError(turn_field, "expected " + std::string(kStart));
    }
    pos += kStart.size();
    const size_t role_end = text.find('\n', pos);
    if (role_end == std::string_view::npos) return FieldError(turn_field, "no newline after the role");
    const std::string_view role_name = text.substr(pos, role_end - pos);
    Result<Role> role = ParseRole(role_name);
    if (!role || *role == Role::kTool) {
      return FieldError(turn_field, "role '" + std::string(role_name) +
                                        "' is not system, user or assistant");
    }
    pos = role_end + 1;
    const size_t end = text.find(kEnd, pos);
    if (end == std::string_view::npos) return FieldError(turn_field, "no " + std::string(kEnd));
    const std::string_view content = text.substr(pos, end - pos);
    if (content.find(kStart) != std::string_view::npos) {
      return FieldError(turn_field, "a new " + std::string(kStart) + " before " + std::string(kEnd));
    }
    Message& message = out.messages.emplace_back();
    message.role = *role;
    message.content = content;
    pos = end + kEnd.size();
    if (pos < text.size() && text[pos] == '\n') ++pos;
    if (stop_at_blank_line && pos < text.size() && text[pos] == '\n') {
      ++pos;
      break;
    }
  }
  if (out.messages.empty()) return FieldError(field, "no ChatML turns");
  return Status::Ok();
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view text, RequireString(object, "text", "text"));
  size_t pos = 0;
  TP_RETURN_IF_ERROR(ParseTurns(text, pos, /*stop_at_blank_line=*/false, "text", out));
  CollectUnreadFields(object, {"text", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status Split(std::string_view file_text,
             const std::function<void(Example&&, uint64_t line)>& emit) {
  size_t pos = 0;
  LineCounter lines(file_text);
  while (true) {
    while (pos < file_text.size() && file_text[pos] == '\n') ++pos;  // extra blank lines
    if (pos >= file_text.size()) return Status::Ok();
    const uint64_t line = lines.LineAt(pos);
    Example example;
    Status status = ParseTurns(file_text, pos, /*stop_at_blank_line=*/true, "conversation", example);
    if (!status.ok()) return status.WithContext("line " + std::to_string(line));
    emit(std::move(example), line);
  }
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequireConversation(example, "chatml"));
  TP_RETURN_IF_ERROR(ValidateConversation(example));
  TP_RETURN_IF_ERROR(CheckRepresentable(example, {.system_anywhere = true}, "chatml"));
  std::string text;
  for (size_t i = 0; i < example.messages.size(); ++i) {
    const Message& message = example.messages[i];
    for (std::string_view marker : {kStart, kEnd}) {
      TP_RETURN_IF_ERROR(RefuseMarker(message.content, marker, MessageField(i) + ".content",
                                      "it would forge a ChatML turn boundary"));
    }
    text += kStart;
    text += RoleName(message.role);
    text += '\n';
    text += message.content;
    text += kEnd;
    text += '\n';
  }
  JsonObjectWriter record(out);
  record.String("text", text);
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format ChatMlFormat() {
  Format format;
  format.name = "chatml";
  format.description =
      "ChatML text in JSONL: {\"text\":\"<|im_start|>role\\ncontent<|im_end|>\\n...\"}";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.split = Split;
  format.write = Write;
  return format;
}

}  // namespace tunepack::format::internal
