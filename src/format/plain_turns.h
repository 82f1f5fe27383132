// Plain chat records read straight from their JSON text with simdjson's on-demand parser,
// without a DOM (tunepack/format/plain_record.h): the shapes of the formats that have them.
#pragma once

#include <optional>
#include <string_view>

#include "tunepack/core/document.h"

namespace tunepack::format::internal {

// PlainTurnShape: what a plain record of a format holds: one top-level list `list` of
// objects, each with the strings `role` and `text` and, when `name` is not empty, an
// optional string `name`; nothing else. The names hold no quote or backslash, and are
// compared with the keys as written (at most SIMDJSON_PADDING bytes each).
struct PlainTurnShape {
  std::string_view format;  ///< the format's name, "openai"
  std::string_view list;  ///< "messages"
  std::string_view role;  ///< "role"
  std::string_view text;  ///< "content"
  std::string_view name;  ///< "name", or "" when a turn has no name field
  // Returns the role a plain turn's role string reads as, or nullopt for one that is not
  // plain (unknown, or a turn the format reads otherwise, such as a function call).
  std::optional<Role> (*plain_role)(std::string_view role);
};

// Reads the record `json` (simdjson::SIMDJSON_PADDING readable bytes after it) into `out`
// when it is a plain record of `shape`, with at least one turn: out.kind becomes
// kConversation and the turns, messages of role, content (and name), replace
// out.messages. Returns false, with out.messages empty and the rest of `out` as it was,
// for any other record: another field, a null, a repeated key, a value of
// another type, a role that is not plain, malformed JSON or invalid UTF-8. The format's
// DOM reader reads those, and gives every error its message: a record this takes, the DOM
// reader reads to the same example. Every byte of a record it takes was read (each value
// is a string it reads, and nothing follows the object), so it takes no record the DOM
// parser refuses.
bool ReadPlainTurns(std::string_view json, const PlainTurnShape& shape, Example& out);

// The plain shapes, each next to its format (<name>_format.cc); plain_turns.cc lists them.
PlainTurnShape OpenAiPlainShape();
PlainTurnShape ShareGptPlainShape();

}  // namespace tunepack::format::internal
