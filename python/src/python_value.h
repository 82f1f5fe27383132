// Python objects -> template values: what a chat template or tunepack.render receives from
// Python (dict, list, tuple, str, int, float, bool, None), converted while the GIL is held so
// that rendering can run without it.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "tunepack/template/value.h"

namespace tunepack::python {

// Returns a new str holding the UTF-8 text `utf8` (nullptr with the Python error set when
// out of memory), as PyUnicode_DecodeUTF8(utf8, "replace") would: text that is not
// well-formed UTF-8, or dense in non-ASCII characters, is given to that function. Faster
// than it on what most renders write, ASCII with at most a few other characters: CPython
// copies the str it is building into a wider one at the first non-ASCII character and
// shrinks it at the end; this sizes it once.
PyObject* NewStrFromUtf8(std::string_view utf8);

// Returns the template value of `object`, owning all it holds (for values kept after the
// call, such as a template's special tokens). Throws StatusError (InvalidArgument) naming
// `what` for an object of another type, an int outside 64 bits, a dict key that is not a
// string or nesting deeper than 1,000 levels.
jinja::Value ToTemplateValue(pybind11::handle object, const char* what);

// TemplateArguments: the arguments of one render call. The values Convert returns borrow
// their strings, lists and dicts from storage the calling thread reuses from one call to the
// next (python_value.cc): after the first calls, converting a conversation allocates nothing,
// and the render's copies of it count no references. Keep this object alive until the render
// has finished; one per thread at a time reuses the storage, a second one (a nested call)
// gets its own. Run no Python code between its conversions: a str met twice is converted
// once, found by its address.
class TemplateArguments {
 public:
  TemplateArguments();
  ~TemplateArguments();
  TemplateArguments(const TemplateArguments&) = delete;
  TemplateArguments& operator=(const TemplateArguments&) = delete;

  // Returns the template value of `object`; throws as ToTemplateValue does.
  jinja::Value Convert(PyObject* object, const char* what);
  jinja::Value Convert(pybind11::handle object, const char* what) { return Convert(object.ptr(), what); }
  // Returns an empty dict held by this object, for arguments gathered one by one (keywords).
  jinja::Value NewDict();

  // Returns an empty string for the render's text, kept by the same storage: a render of a
  // short conversation writes into memory it has used before (at most 1 MB is kept).
  std::string& Output();

  // Returns the bytes of text given so far, a str repeated in the arguments counted each time
  // (converted once): a measure of the render's work known before it starts
  // (template_binding.cc decides from it whether to release the GIL).
  size_t text_bytes() const;

  struct Storage;  // python_value.cc

 private:
  Storage* storage_;
  std::unique_ptr<Storage> own_;  // when the thread's storage is already in use
};

}  // namespace tunepack::python
