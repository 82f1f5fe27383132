// Plain chat records read straight from their JSON text, without a parsed DOM: the fast
// path before Format::read for the formats whose plain records are one list of turns
// (openai: messages of role, content and name; sharegpt: conversations of from and value).
#pragma once

#include <string_view>

#include "tunepack/core/document.h"
#include "tunepack/format/format.h"

namespace tunepack::format {

// Reads the record `json` of `format` (simdjson::SIMDJSON_PADDING readable bytes after it)
// into `out` when the format has a plain shape and the record is plain: out.kind becomes
// kConversation and its turns replace out.messages (written over the messages there,
// whose strings keep their room: one example can serve record after record). Returns
// false, with out.messages empty and the rest of `out` as it was, for a format without one
// and for any other record (another field, a null, a repeated key, a tool call, malformed
// JSON, invalid UTF-8...): the caller then parses the record and reads it with
// format.read, which alone reports errors. A record this takes, format.read reads to the
// same example.
bool ReadPlainRecord(const Format& format, std::string_view json, Example& out);

}  // namespace tunepack::format
