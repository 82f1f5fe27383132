// Standard base64 (RFC 4648, with '=' padding), the encoding of token bytes in .tiktoken
// rank files and in the tiktoken npm package's encoders/*.json.
#pragma once

#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::tokenize {

// Decodes `text`; returns InvalidArgument on a character outside the alphabet or a bad length.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace tunepack::tokenize
