// Filters that reproduce a Python library's text algorithm (textwrap for wordwrap, Jinja2's
// urlize, pprint), each in its own file; filters.cc registers them.
#pragma once

#include "template/object.h"
#include "template/render.h"

namespace tunepack::jinja {

// wordwrap(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
// each line of `s` wrapped by Python's textwrap as Jinja2 calls it (wordwrap.cc).
Value DoWordwrap(Renderer& renderer, const Value& input, CallArgs& args);

// urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None,
// extra_schemes=None): Jinja2 3.1.2's links for URLs and e-mail addresses (urlize.cc).
Value DoUrlize(Renderer& renderer, const Value& input, CallArgs& args);

// pprint(value): Python's pprint.pformat(value), wrapped at 80 columns (pprint.cc).
Value DoPprint(Renderer& renderer, const Value& input, CallArgs& args);

}  // namespace tunepack::jinja
