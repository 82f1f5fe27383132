// Parsing of API request bodies: strict JSON (RFC 8259, valid UTF-8), an object at the top,
// nesting bounded so that no body can exhaust the stack, and errors that say where.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "tunepack/core/result.h"

namespace tunepack::server {

// Deepest nesting of arrays and objects a request may use.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text` as a JSON object. InvalidArgument for malformed JSON ("line L, column C: ..."),
// nesting deeper than kMaxJsonDepth, or a top-level value that is not an object.
Result<nlohmann::json> ParseRequestJson(std::string_view text);

}  // namespace tunepack::server
