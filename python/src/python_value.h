// Python objects -> template values: what a chat template or tunepack.render receives from
// Python (dict, list, tuple, str, int, float, bool, None), converted while the GIL is held so
// that rendering can run without it.
#pragma once

#include <pybind11/pybind11.h>

#include <vector>

#include "tunepack/template/value.h"

namespace tunepack::python {

// Returns the template value of `object`, owning all it holds (for values kept after the
// call, such as a template's special tokens). Throws StatusError (InvalidArgument) naming
// `what` for an object of another type, an int outside 64 bits, a dict key that is not a
// string or nesting deeper than 1,000 levels.
jinja::Value ToTemplateValue(pybind11::handle object, const char* what);

// TemplateArguments: the arguments of one render call. The values Convert returns borrow
// what they hold (strings, lists, dicts) from this object, so that the render's copies of
// them count no references: keep it alive until the render has finished.
class TemplateArguments {
 public:
  // Returns the template value of `object`; throws as ToTemplateValue does.
  jinja::Value Convert(pybind11::handle object, const char* what);

 private:
  std::vector<jinja::Value> owned_;
};

}  // namespace tunepack::python
