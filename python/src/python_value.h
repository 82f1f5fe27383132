// Python objects -> template values: what a chat template or tunepack.render receives from
// Python (dict, list, tuple, str, int, float, bool, None), converted while the GIL is held so
// that rendering can run without it.
#pragma once

#include <pybind11/pybind11.h>

#include "tunepack/template/value.h"

namespace tunepack::python {

// Returns the template value of `object`. Throws StatusError (InvalidArgument) naming `what`
// for an object of another type, an int outside 64 bits, a dict key that is not a string or
// nesting deeper than 1,000 levels.
jinja::Value ToTemplateValue(pybind11::handle object, const char* what);

}  // namespace tunepack::python
