// Python str semantics over UTF-8: the string methods and filters of Jinja2 templates work
// on code points and use Python's definitions of whitespace, case and printability.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tunepack::jinja {

// Returns true for the code points Python's str.isspace() accepts.
bool IsPySpace(char32_t cp);
// Returns true for what \w matches in Python's re on str: letters, numbers and '_'.
bool IsPyWordChar(char32_t cp);
// Returns true for what \d matches in Python's re on str: decimal digits (category Nd).
bool IsPyDecimal(char32_t cp);

// Appends repr() of a Python str: single quotes unless the text has ' and no ", escapes
// for backslash, the quote, \n \r \t and non-printable code points.
void AppendPyStringRepr(std::string_view text, std::string& out);

// Returns the number of code points in `text`.
size_t CodePointCount(std::string_view text);
// Returns the byte offsets of each code point in `text`, plus text.size() at the end.
std::vector<size_t> CodePointOffsets(std::string_view text);

// str.strip/lstrip/rstrip; `chars` null means whitespace.
std::string PyStrip(std::string_view text, const std::string* chars, bool left, bool right);
// The same, as the piece of `text` that remains.
std::string_view PyStripView(std::string_view text, const std::string* chars, bool left, bool right);
// str.split(sep, maxsplit); `sep` null splits on whitespace runs.
std::vector<std::string> PySplit(std::string_view text, const std::string* sep, int64_t maxsplit);
// str.rsplit(sep, maxsplit).
std::vector<std::string> PyRSplit(std::string_view text, const std::string* sep, int64_t maxsplit);
// str.splitlines(keepends).
std::vector<std::string> PySplitLines(std::string_view text, bool keepends);
// str.upper(), str.lower(), str.title(), str.capitalize(), str.swapcase().
std::string PyUpper(std::string_view text);
std::string PyLower(std::string_view text);
std::string PyTitle(std::string_view text);
std::string PyCapitalize(std::string_view text);
// str.replace(old, new, count); count < 0 replaces all.
std::string PyReplace(std::string_view text, std::string_view from, std::string_view to,
                      int64_t count);
// str.center(width, fill) / ljust / rjust.
std::string PyCenter(std::string_view text, int64_t width, std::string_view fill);
// Returns true when every code point satisfies the Python predicate (and there is one).
bool PyIsDigit(std::string_view text);
bool PyIsAlpha(std::string_view text);
bool PyIsAlnum(std::string_view text);
bool PyIsSpace(std::string_view text);
// str.islower()/isupper(): at least one cased character and all cased ones lower/upper.
bool PyIsLower(std::string_view text);
bool PyIsUpper(std::string_view text);

}  // namespace tunepack::jinja
