// The records that flow through the pipeline: where an input came from (Origin), a document
// read from a file (Document, with its structure), and a training example (Example).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/metadata.h"
#include "tunepack/core/result.h"

namespace tunepack {

// Origin: one input unit, the thing the ledger accounts for. A whole-file document has
// record 0; the n-th record of a JSONL/JSON/CSV file has record n (0-based) and the 1-based
// line it starts on.
struct Origin {
  std::string source;   ///< the path as given on the command line, or "-" for stdin
  uint64_t record = 0;  ///< 0-based index of the record within the source
  uint64_t line = 0;    ///< 1-based line where the record starts; 0 when not line-based
};

// BlockKind: the structural role of a span of document text.
enum class BlockKind { kHeading, kParagraph, kListItem, kCode, kTable, kQuote };

// Returns "heading", "paragraph", "list_item", "code", "table" or "quote".
std::string_view BlockKindName(BlockKind kind);

// Block: a structural span of Document::text.
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;       ///< heading level 1-6; nesting depth (0-based) for list items
  size_t begin = 0;    ///< byte offset of the block in Document::text
  size_t end = 0;      ///< one past the last byte
  std::vector<std::string> heading_path;  ///< headings above this block, outermost first
  std::string info;    ///< the fence info string (language) of a code block
  uint32_t first_page = 0;  ///< 1-based page the block starts on (PDF); 0 when unpaged
  uint32_t last_page = 0;   ///< 1-based page the block ends on (PDF); 0 when unpaged
};

// Document: a text document after ingest. `text` is UTF-8; for Markdown and HTML sources it
// is Markdown (headings as '#', lists as '-', fenced code, pipe tables) so that structure
// survives into the output; `blocks` indexes that structure.
struct Document {
  Origin origin;
  std::string title;
  std::string text;
  std::vector<Block> blocks;
  Metadata metadata;

  // True when `text` holds nothing but spaces, tabs and line breaks.
  bool IsBlank() const { return text.find_first_not_of(" \t\r\n") == std::string::npos; }
};

// Role of a conversation turn, in the OpenAI vocabulary that tunepack uses inside.
enum class Role { kSystem, kUser, kAssistant, kTool };

// Returns "system", "user", "assistant" or "tool".
std::string_view RoleName(Role role);
// Parses an OpenAI role name ("developer" is read as system).
Result<Role> ParseRole(std::string_view name);

// ToolCall: a function call made by an assistant turn.
struct ToolCall {
  std::string id;         ///< may be empty when the source has none
  std::string name;
  std::string arguments;  ///< JSON text of the arguments; written as a JSON *string*

  bool operator==(const ToolCall&) const = default;
};

// Message: one turn of a conversation.
struct Message {
  Role role = Role::kUser;
  std::string content;
  bool has_content = true;            ///< false: content was null/absent (tool-call-only turn)
  std::string name;                   ///< optional participant or function name
  std::optional<int> weight;          ///< per-turn training switch (0 or 1), assistant only
  std::vector<ToolCall> tool_calls;   ///< assistant tool calls
  std::string tool_call_id;           ///< for Role::kTool: the call this answers

  bool operator==(const Message&) const = default;
};

// ExampleKind: the shape of a training example.
enum class ExampleKind {
  kText,          ///< one text, for continued pretraining
  kConversation,  ///< a list of messages, for supervised fine-tuning
  kPreference,    ///< a prompt (`messages`) with a chosen and a rejected completion (DPO, ORPO)
  // A prompt with one completion and a label saying whether it is desirable (KTO): the
  // completion is in `chosen` when it is, in `rejected` when it is not.
  kUnpairedPreference,
};

// Returns true for kPreference and kUnpairedPreference.
inline bool IsPreference(ExampleKind kind) {
  return kind == ExampleKind::kPreference || kind == ExampleKind::kUnpairedPreference;
}

// Example: what a format writer writes and a format reader reads.
struct Example {
  Origin origin;
  ExampleKind kind = ExampleKind::kText;
  std::string text;               ///< kText
  std::vector<Message> messages;  ///< kConversation; the prompt of a preference example
  std::vector<Message> chosen;    ///< preference: the preferred completion
  std::vector<Message> rejected;  ///< preference: the dispreferred completion
  std::string tools;              ///< minified JSON array of tool schemas; empty when none
  Metadata metadata;
  // Top-level fields of the input record that its format does not read (a preference
  // pair's "chosen", a KTO "label", an "images" list...), as JSON, in record order. A
  // writer carries the ones it can hold; the rest go to metadata when asked, or the example
  // is refused: a field is never dropped silently (format/unread_fields.h).
  Metadata unread_fields;
};

// Calls `visit(message)` for every message of `example`: the conversation (or prompt), then
// the chosen and the rejected completion of a preference example. Steps that look at or
// change message text (redaction, normalisation, dedup keys) use it so that a preference
// pair's answers are never skipped.
template <typename ExampleT, typename Visit>
void ForEachMessage(ExampleT& example, Visit&& visit) {
  for (auto& message : example.messages) visit(message);
  for (auto& message : example.chosen) visit(message);
  for (auto& message : example.rejected) visit(message);
}

}  // namespace tunepack
