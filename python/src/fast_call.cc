#include "fast_call.h"

namespace tunepack::python {

namespace py = pybind11;

bool BoolArgument(PyObject* value, const char* parameter) {
  if (value == Py_True) return true;
  if (value == Py_False || value == Py_None) return false;
  PyNumberMethods* number = Py_TYPE(value)->tp_as_number;
  if (number == nullptr || number->nb_bool == nullptr) {
    throw py::type_error(std::string(parameter) + " must be a bool, not " + Py_TYPE(value)->tp_name);
  }
  const int truth = number->nb_bool(value);
  if (truth < 0) throw py::error_already_set();
  return truth != 0;
}

void AddFastMethod(py::handle cls, PyMethodDef* method) {
  PyObject* descriptor = PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(cls.ptr()), method);
  if (descriptor == nullptr) throw py::error_already_set();
  py::setattr(cls, method->ml_name, py::reinterpret_steal<py::object>(descriptor));
}

}  // namespace tunepack::python
