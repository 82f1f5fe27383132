// tunepack._native: the extension module under the tunepack package (tunepack/__init__.py
// re-exports it). Built on the public library API only (include/tunepack/).
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "status_error.h"
#include "tunepack/version.h"

PYBIND11_MODULE(_native, module) {
  module.doc() = "tunepack's engines: exact tokenizers, Jinja2 and chat templates, exports.";
  tunepack::python::RegisterStatusErrors(module);
  tunepack::python::RegisterTokenizer(module);
  tunepack::python::RegisterTemplates(module);
  tunepack::python::RegisterExport(module);
  tunepack::python::RegisterRead(module);
  tunepack::python::RegisterValidate(module);
  module.attr("__version__") = tunepack::kVersion;
}
