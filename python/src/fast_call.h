// Methods called the way CPython calls its own (METH_FASTCALL | METH_KEYWORDS): the
// arguments arrive as an array and the keyword names as a tuple, with no args tuple, no
// kwargs dict and no pybind11 dispatch (a few hundred ns a call with keyword arguments).
// For calls so short that the dispatch would be a large share of them (ChatTemplate.render).
#pragma once

#include <pybind11/pybind11.h>

#include <array>
#include <cstddef>
#include <exception>
#include <new>
#include <string>

#include "status_error.h"

namespace tunepack::python {

// FastParameters: the named parameters of a function `name(p0, p1, ..., **kwargs)`, the
// first `required` of them required, all of them positional or keyword.
template <size_t N>
class FastParameters {
 public:
  FastParameters(const char* function, std::array<const char*, N> names, size_t required)
      : function_(function), required_(required), names_(names) {
    for (size_t i = 0; i < N; ++i) interned_[i] = PyUnicode_InternFromString(names[i]);  // kept for good
  }

  // Sets values[i] to the argument given for parameter i (nullptr when not given). Throws
  // pybind11::type_error as Python would word it for a call that does not fit.
  void Parse(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, std::array<PyObject*, N>& values) const {
    if (static_cast<size_t>(nargs) > N) {
      throw pybind11::type_error(std::string(function_) + "() takes at most " + std::to_string(N) +
                                 " positional arguments (" + std::to_string(nargs) + " given)");
    }
    values.fill(nullptr);
    for (Py_ssize_t i = 0; i < nargs; ++i) values[static_cast<size_t>(i)] = args[i];
    const Py_ssize_t keywords = kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < keywords; ++k) {
      const size_t index = IndexOf(PyTuple_GET_ITEM(kwnames, k));
      if (index == N) continue;
      if (values[index] != nullptr) {
        throw pybind11::type_error(std::string(function_) + "() got multiple values for argument '" +
                                   names_[index] + "'");
      }
      values[index] = args[nargs + k];
    }
    for (size_t i = 0; i < required_; ++i) {
      if (values[i] == nullptr) {
        throw pybind11::type_error(std::string(function_) + "() missing required argument '" + names_[i] + "'");
      }
    }
  }

  // Calls extra(name, value) for every keyword argument that names no parameter (**kwargs),
  // in the call's order.
  template <typename Extra>
  void ForEachExtra(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, Extra&& extra) const {
    const Py_ssize_t keywords = kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < keywords; ++k) {
      PyObject* name = PyTuple_GET_ITEM(kwnames, k);
      if (IndexOf(name) == N) extra(name, args[nargs + k]);
    }
  }

 private:
  // Returns the parameter called `name`, or N. Keyword names written in a call are interned
  // strings, found by address; others (from **mapping) by comparison.
  size_t IndexOf(PyObject* name) const {
    for (size_t i = 0; i < N; ++i) {
      if (name == interned_[i]) return i;
    }
    for (size_t i = 0; i < N; ++i) {
      if (PyUnicode_Compare(name, interned_[i]) == 0) return i;
    }
    return N;
  }

  const char* function_;
  size_t required_;
  std::array<const char*, N> names_;
  std::array<PyObject*, N> interned_{};
};

// Returns the C++ object of `self`, an instance of T's pybind11 class (a method descriptor
// checks that before the call). An instance of exactly that class is read straight from
// pybind11's instance layout (pybind11::detail, stable across 2.x), without the type lookup
// of a cast; subclasses take the cast.
template <typename T>
const T& SelfOf(PyObject* self) {
  static PyTypeObject* const exact = reinterpret_cast<PyTypeObject*>(pybind11::type::of<T>().ptr());
  if (Py_TYPE(self) == exact) {
    auto* instance = reinterpret_cast<pybind11::detail::instance*>(self);
    if (instance->simple_layout && instance->simple_holder_constructed) {
      return *static_cast<const T*>(instance->simple_value_holder[0]);
    }
  }
  return pybind11::handle(self).cast<const T&>();
}

// Returns the truth of a bool argument as pybind11 converts one: True, False, None (false)
// and objects with __bool__ (numbers, numpy.bool_); throws pybind11::type_error otherwise.
bool BoolArgument(PyObject* value, const char* parameter);

// Returns what `body` returns (a new reference), or nullptr with the Python error set for
// what it threw: StatusError as the tunepack.Error hierarchy, pybind11's errors as
// themselves, std::bad_alloc as MemoryError.
template <typename Body>
PyObject* CallReturningPython(Body&& body) noexcept {
  try {
    return body();
  } catch (const StatusError& error) {
    try {
      SetPythonError(error.status());
    } catch (...) {  // the error classes could not be reached: the message still gets through
      PyErr_SetString(PyExc_RuntimeError, error.what());
    }
  } catch (pybind11::error_already_set& error) {
    error.restore();
  } catch (const pybind11::builtin_exception& error) {
    error.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& error) {
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
  return nullptr;
}

// Adds `method` (METH_FASTCALL | METH_KEYWORDS, static storage) to the class `cls`.
void AddFastMethod(pybind11::handle cls, PyMethodDef* method);

}  // namespace tunepack::python
