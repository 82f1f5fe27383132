// The inverse of AppendJsonString (json_writer.h) for the strings it writes: lets a caller
// that holds a record tunepack just wrote take its text back without a JSON parser.
#pragma once

#include <string>
#include <string_view>

namespace tunepack {

// Appends to `out` the text of `body`, the characters between the quotes of a JSON string
// as AppendJsonString writes it, and returns true. Returns false (`out` then holds a part)
// when `body` is anything AppendJsonString does not write: an unescaped '"' or control
// character, a backslash at the end, an escape other than \" \\ \b \f \n \r \t, a \u escape
// other than \u00XX (lower-case hex) of a control character. Bytes are copied as they are:
// the caller checks UTF-8 when it matters.
//
// Example:
//   std::string text;
//   ReadWrittenJsonString(R"(a\n\"b\")", text);  // true, text == "a\n\"b\""
bool ReadWrittenJsonString(std::string_view body, std::string& out);

}  // namespace tunepack
