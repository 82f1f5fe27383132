// anthropic-hh: {"chosen":"\n\nHuman: ...\n\nAssistant: ...","rejected":"..."}, the
// transcripts of Anthropic's HH-RLHF data: each side is the whole conversation as one
// string, turns marked "\n\nHuman: " and "\n\nAssistant: ". The prompt is the turns both
// sides share (preference_pair.h); the rest of each side is its answer.
//
// Reading is exact or refused: a transcript is split at its markers (one space after the
// colon taken as part of the marker), and one that does not come back byte for byte when
// written again (text before the first marker, a marker without its space) is refused
// rather than rewritten. Writing refuses a turn whose text holds a marker, which would read
// back as two turns, and anything a transcript has no place for (system prompts, tools).
#include <array>

#include "format/builtin_formats.h"
#include "format/json_fields.h"
#include "format/preference_pair.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {
namespace {

using simdjson::dom::element;

constexpr std::string_view kName = "anthropic-hh";

struct Marker {
  std::string_view text;  ///< without the space that follows
  Role role;
};
constexpr std::array<Marker, 2> kMarkers = {{{"\n\nHuman:", Role::kUser}, {"\n\nAssistant:", Role::kAssistant}}};

std::string_view MarkerOf(Role role) { return role == Role::kUser ? kMarkers[0].text : kMarkers[1].text; }

bool Matches(element record) {
  std::string_view chosen;
  return record["chosen"].get_string().get(chosen) == simdjson::SUCCESS &&
         HasFieldOfType(record, "rejected", simdjson::dom::element_type::STRING) &&
         chosen.substr(0, kMarkers[0].text.size()) == kMarkers[0].text;
}

// Returns the marker at `pos`, or nullptr.
const Marker* MarkerAt(std::string_view text, size_t pos) {
  for (const Marker& marker : kMarkers) {
    if (text.compare(pos, marker.text.size(), marker.text) == 0) return &marker;
  }
  return nullptr;
}

void AppendTranscript(const std::vector<Message>& messages, std::string& out) {
  for (const Message& message : messages) {
    out += MarkerOf(message.role);
    out += ' ';
    out += message.content;
  }
}

Result<std::vector<Message>> ParseTranscript(std::string_view text, std::string_view field) {
  std::vector<Message> messages;
  if (MarkerAt(text, 0) == nullptr) {
    return FieldError(field, "a transcript must start with \"\\n\\nHuman:\"");
  }
  size_t pos = 0;
  while (pos < text.size()) {
    const Marker* marker = MarkerAt(text, pos);
    size_t begin = pos + marker->text.size();
    if (begin < text.size() && text[begin] == ' ') ++begin;
    size_t end = begin;
    while (end < text.size() && !(text[end] == '\n' && MarkerAt(text, end) != nullptr)) ++end;
    messages.push_back(PlainMessage(marker->role, text.substr(begin, end - begin)));
    pos = end;
  }
  std::string again;
  AppendTranscript(messages, again);
  if (again != text) {
    size_t at = 0;
    while (at < again.size() && at < text.size() && again[at] == text[at]) ++at;
    return FieldError(field, "not a transcript tunepack can keep byte for byte (at byte " + std::to_string(at) +
                                 ", a turn marker is not followed by one space); refused rather than "
                                 "rewritten");
  }
  return messages;
}

Status Read(element record, Example& out) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(record, "record"));
  TP_ASSIGN_OR_RETURN(std::string_view chosen_text, RequireString(object, "chosen", "chosen"));
  TP_ASSIGN_OR_RETURN(std::string_view rejected_text, RequireString(object, "rejected", "rejected"));
  TP_ASSIGN_OR_RETURN(std::vector<Message> chosen, ParseTranscript(chosen_text, "chosen"));
  TP_ASSIGN_OR_RETURN(std::vector<Message> rejected, ParseTranscript(rejected_text, "rejected"));
  SplitImplicitPrompt(std::move(chosen), std::move(rejected), out);
  CollectUnreadFields(object, {"chosen", "rejected", "metadata"}, out);
  return ReadMetadataField(object, out);
}

Status CheckTurns(const std::vector<Message>& messages, std::string_view side) {
  for (size_t i = 0; i < messages.size(); ++i) {
    const Message& message = messages[i];
    const std::string field = std::string(side) + "[" + std::to_string(i) + "]";
    auto refuse = [&](std::string_view what) {
      return FailedPreconditionError(std::string(kName) + " cannot hold " + field + ": " + std::string(what) +
                                     " (use trl-preference or openai-dpo)");
    };
    if (message.role != Role::kUser && message.role != Role::kAssistant) {
      return refuse("a transcript has only Human and Assistant turns, and this one has role " +
                    std::string(RoleName(message.role)));
    }
    if (!message.tool_calls.empty()) return refuse("tool calls");
    if (!message.name.empty()) return refuse("a name");
    if (message.weight && *message.weight == 0) return refuse("weight 0");
    for (const Marker& marker : kMarkers) {
      if (message.content.find(marker.text) != std::string::npos) {
        return refuse("its text holds a turn marker, and would read back as two turns");
      }
    }
  }
  return Status::Ok();
}

Status Write(const Example& example, const WriteOptions& options, std::string& out) {
  TP_RETURN_IF_ERROR(RequirePreferencePair(example, kName));
  TP_RETURN_IF_ERROR(ValidatePreference(example));
  if (!example.tools.empty()) {
    return FailedPreconditionError(std::string(kName) + " has no place for tool schemas (\"tools\")");
  }
  TP_RETURN_IF_ERROR(CheckTurns(example.messages, "messages"));
  TP_RETURN_IF_ERROR(CheckTurns(example.chosen, "chosen"));
  TP_RETURN_IF_ERROR(CheckTurns(example.rejected, "rejected"));
  if (example.messages.empty() || example.messages.front().role != Role::kUser) {
    return FailedPreconditionError(std::string(kName) + " transcripts start with a Human turn");
  }
  TP_RETURN_IF_ERROR(CheckImplicitPromptKept(example, kName));
  std::string chosen, rejected;
  AppendTranscript(Joined(example.messages, example.chosen), chosen);
  AppendTranscript(Joined(example.messages, example.rejected), rejected);
  JsonObjectWriter record(out);
  record.String("chosen", chosen);
  record.String("rejected", rejected);
  FinishJsonlRecord(record, example, options, out);
  return Status::Ok();
}

}  // namespace

Format AnthropicHhFormat() {
  Format format;
  format.name = std::string(kName);
  format.description =
      "Anthropic HH-RLHF JSONL: {\"chosen\",\"rejected\"} transcripts with \"\\n\\nHuman:\"/\"\\n\\nAssistant:\" turns";
  format.extension = ".jsonl";
  format.matches = Matches;
  format.read = Read;
  format.write = Write;
  format.preference = true;
  return format;
}

}  // namespace tunepack::format::internal
