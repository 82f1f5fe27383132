#include "status_error.h"

#include "tunepack/core/option_ref.h"

namespace tunepack::python {

namespace py = pybind11;

std::string PythonMessage(const Status& status) {
  return WordOptionRefs(status.message(), OptionStyle::kJson);
}

void SetPythonError(const Status& status) {
  // The classes live in Python (tunepack/_errors.py), so that they can also derive from the
  // built-in exceptions a caller already catches (ValueError, FileNotFoundError...).
  py::object errors = py::module_::import("tunepack._errors");
  py::object cls = errors.attr("error_class")(std::string(StatusCodeName(status.code())));
  PyErr_SetObject(cls.ptr(), py::str(PythonMessage(status)).ptr());
}

void RegisterStatusErrors(py::module_& module) {
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const StatusError& error) {
      SetPythonError(error.status());
    }
  });
}

}  // namespace tunepack::python
