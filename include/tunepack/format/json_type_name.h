// JsonTypeName: how error messages name the JSON type of a value ("a string", "null"...).
#pragma once

#include <simdjson.h>

#include <string_view>

namespace tunepack::format {

// Returns "an array", "an object", "a number", "a string", "a boolean" or "null", for
// messages such as "content must be a string, not an array".
std::string_view JsonTypeName(simdjson::dom::element value);

}  // namespace tunepack::format
