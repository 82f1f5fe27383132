// Locating JSON syntax errors. The fast parser (simdjson) says *that* a record is malformed;
// this says *where*, so an error message can name the column. Only run on the error path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tunepack {

// JsonSyntaxError: the byte offset of the first error and what was expected there.
struct JsonSyntaxError {
  size_t offset = std::string_view::npos;  ///< npos when `text` is one valid JSON value
  std::string expected;                    ///< e.g. "',' or '}'", "a value", "end of input"
};

// Scans `text` as exactly one JSON value (RFC 8259), surrounded by optional whitespace.
// Nesting deeper than 1024 levels is reported as an error.
JsonSyntaxError FindJsonSyntaxError(std::string_view text);

}  // namespace tunepack
