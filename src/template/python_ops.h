// Python's value semantics as Jinja2 templates see them (python_ops.cc): type names and
// the errors that name them, len(), iteration, ordering, `in`, the binary operators, and
// markupsafe's escaping and joining of Markup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "template/ast.h"
#include "tunepack/template/value.h"

namespace tunepack::jinja {

// Returns the Python type name of `v` ("str", "int", "dict", "NoneType"...).
std::string_view PyTypeName(const Value& v);
// Returns Jinja2's object_type_repr: "None", or "dict object" and the like.
std::string ObjectTypeRepr(const Value& v);
// Throws the UndefinedError an Undefined raises when it is used.
[[noreturn]] void ThrowUndefined(const Value& undefined);
// Returns an Undefined for a failed attribute or item lookup, worded as Jinja2 words it.
Value MissingAttribute(const Value& obj, const Value& name);
Value MissingAttributeNamed(const Value& obj, std::string_view name);
// Returns `v` as a list of items, as Python's iter() yields them (dict -> keys, str ->
// characters, Undefined -> nothing); throws TypeError for non-iterables.
std::vector<Value> Iterate(const Value& v);
// Returns Python's a < b; throws TypeError for unorderable operands.
bool PyLess(const Value& a, const Value& b, std::string_view op = "<");
// Returns len(v); throws TypeError when v has no length.
int64_t PyLen(const Value& v);

// Returns the binary operation `a op b` with Python semantics.
Value BinaryOp(BinOp op, const Value& a, const Value& b);
// Returns a - b; throws OverflowError where Python's unbounded ints would leave int64.
int64_t CheckedSub(int64_t a, int64_t b);
// Returns an int or bool as Python's int() does (True is 1).
inline int64_t AsInt(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int(); }
// Returns `needle in haystack`.
bool PyContains(const Value& haystack, const Value& needle);
// Returns str(v) HTML-escaped as Markup, or `v` itself when it is Markup (markupsafe.escape).
Value EscapeToMarkup(const Value& v);
// Returns Jinja2's markup_join of `parts`: Markup with the plain parts escaped when any part
// is Markup, else their plain concatenation.
Value MarkupJoin(const std::vector<Value>& parts);

}  // namespace tunepack::jinja
