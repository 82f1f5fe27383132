// Errors at the Python edge: a tunepack Status becomes an exception of the tunepack.Error
// hierarchy (tunepack/_errors.py), one class per status code, carrying the library's message
// with option names spelled as keyword arguments (max_tokens), as the CLI spells them as
// flags (--max-tokens). Nothing else in the bindings builds an error message.
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <string>

#include "tunepack/core/result.h"
#include "tunepack/core/status.h"

namespace tunepack::python {

// StatusError: thrown by the bindings, translated to Python by RegisterStatusErrors.
class StatusError : public std::exception {
 public:
  explicit StatusError(Status status) : status_(std::move(status)) {}
  const Status& status() const { return status_; }
  const char* what() const noexcept override { return status_.message().c_str(); }

 private:
  Status status_;
};

// Throws StatusError when `status` is not OK.
inline void ThrowIfError(const Status& status) {
  if (!status.ok()) throw StatusError(status);
}

// Returns the value of `result`, or throws its error.
template <typename T>
T ValueOrThrow(Result<T>&& result) {
  if (!result.ok()) throw StatusError(result.error());
  return std::move(*result);
}

// Returns the message the Python exception carries for `status`.
std::string PythonMessage(const Status& status);

// Sets the Python error for `status` (which must not be OK), for code that reports errors
// without throwing (e.g. from inside a generator).
void SetPythonError(const Status& status);

// Registers the translation of StatusError into the tunepack.Error hierarchy.
void RegisterStatusErrors(pybind11::module_& module);

}  // namespace tunepack::python
