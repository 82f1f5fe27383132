#include "python_value.h"

#include <string>

#include "status_error.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

// As deep as the JSON the CLI accepts; deeper input is refused, not a stack overflow.
constexpr int kMaxDepth = 1000;

std::string TypeName(py::handle object) { return py::str(py::type::handle_of(object).attr("__name__")); }

jinja::Value Convert(py::handle object, const char* what, int depth) {
  if (depth > kMaxDepth) {
    throw StatusError(ResourceExhaustedError(std::string(what) + " is nested more than " +
                                             std::to_string(kMaxDepth) + " levels deep"));
  }
  PyObject* p = object.ptr();
  if (p == Py_None) return jinja::Value::None();
  if (PyBool_Check(p)) return jinja::Value::Bool(p == Py_True);
  if (PyLong_Check(p)) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(p, &overflow);
    if (overflow != 0) {
      throw StatusError(InvalidArgumentError(std::string(what) + ": the integer " +
                                             std::string(py::str(object)) + " does not fit in 64 bits"));
    }
    return jinja::Value::Int(value);
  }
  if (PyFloat_Check(p)) return jinja::Value::Float(PyFloat_AS_DOUBLE(p));
  if (PyUnicode_Check(p)) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(p, &size);
    if (data == nullptr) throw py::error_already_set();
    return jinja::Value::String(std::string(data, static_cast<size_t>(size)));
  }
  if (PyDict_Check(p)) {
    jinja::Value dict = jinja::Value::MakeDict();
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(p, &position, &key, &value)) {
      if (!PyUnicode_Check(key)) {
        throw StatusError(InvalidArgumentError(std::string(what) + ": a dict key is a " + TypeName(key) +
                                               ", not a str"));
      }
      dict.as_dict().Set(Convert(key, what, depth + 1), Convert(value, what, depth + 1));
    }
    return dict;
  }
  if (PyList_Check(p) || PyTuple_Check(p)) {
    const bool is_tuple = PyTuple_Check(p);
    py::sequence sequence = py::reinterpret_borrow<py::sequence>(object);
    std::vector<jinja::Value> items;
    items.reserve(sequence.size());
    for (py::handle item : sequence) items.push_back(Convert(item, what, depth + 1));
    return jinja::Value::FromList(std::move(items), is_tuple);
  }
  throw StatusError(InvalidArgumentError(std::string(what) + ": a " + TypeName(object) +
                                         " cannot be passed to a template (use dict, list, tuple, "
                                         "str, int, float, bool or None)"));
}

}  // namespace

jinja::Value ToTemplateValue(py::handle object, const char* what) { return Convert(object, what, 0); }

}  // namespace tunepack::python
