// Lists of text parts, [{"text": "..."}], the content shape of Bedrock's conversation schema
// (Nova) and of Vertex Gemini's parts, read and written the one way. A part of another kind
// (an image, a file, a tool call) is refused by name rather than dropped: tunepack keeps one
// text per message, and media references are not read from these formats yet.
#pragma once

#include <string>
#include <vector>

#include <simdjson.h>

#include "format/json_fields.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Reads the array of text parts at `field` into `texts` (one string per part).
// InvalidArgument naming the part at fault when one is not {"text": string} (other keys of
// a part are refused too: they would be lost).
Status ReadTextParts(simdjson::dom::element value, const FieldPath& field,
                     std::vector<std::string>& texts);

// Reads the array of text parts at `field`, which must hold exactly one part, into `text`.
Status ReadSingleTextPart(simdjson::dom::element value, const FieldPath& field, std::string& text);

// Appends [{"text": t}, ...] for `texts`.
void AppendTextParts(const std::vector<std::string>& texts, std::string& out);

// Appends [{"text": text}].
void AppendSingleTextPart(const std::string& text, std::string& out);

}  // namespace tunepack::format::internal
