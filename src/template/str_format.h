// Python's str.format and format(value, spec) (the format-spec mini-language), for the
// `format` method of strings in templates.
#pragma once

#include <string>
#include <string_view>

#include "template/object.h"

namespace tunepack::jinja {

class Renderer;

// Returns format(value, spec) as Python computes it for str, int, bool, float, None,
// lists and dicts; throws ValueError/TypeError worded as Python words them.
std::string PyFormatValue(const Value& value, std::string_view spec);

// Returns `format`.format(*args.pos, **args.kw). With `escape_fields` (a Markup format
// string) each formatted field is HTML-escaped, as markupsafe's EscapeFormatter does.
// Field attributes and items are looked up as Python does, or through the renderer's
// lookups in a sandboxed environment (Jinja2's SandboxedFormatter).
std::string PyStrFormat(Renderer& renderer, std::string_view format, const CallArgs& args, bool escape_fields);

}  // namespace tunepack::jinja
