#include "python_value.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "status_error.h"

namespace tunepack::python {
namespace {

namespace py = pybind11;

// As deep as the JSON the CLI accepts; deeper input is refused, not a stack overflow.
constexpr int kMaxDepth = 1000;

std::string TypeName(py::handle object) { return py::str(py::type::handle_of(object).attr("__name__")); }

// Returns `value`, or with `owned` (a call's arguments) a borrowed view of it whose owner
// goes into `owned`.
jinja::Value Keep(jinja::Value value, std::vector<jinja::Value>* owned) {
  if (owned == nullptr) return value;
  owned->push_back(std::move(value));
  return owned->back().Borrow();
}

// Strings this short (keys such as "role", roles such as "assistant", names, flags) are
// converted once and shared by every call that passes them, up to kMaxSharedStrings of them.
constexpr size_t kMaxSharedStringBytes = 24;
constexpr size_t kMaxSharedStrings = 4096;

// Returns the template string of the Python str `object`: with `owned` (a call's
// arguments), a short one borrowed from the strings kept for every call, a longer one
// kept in `owned`. Called with the GIL held, which guards the kept strings.
jinja::Value StringValue(PyObject* object, std::vector<jinja::Value>* owned) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(object, &size);
  if (data == nullptr) throw py::error_already_set();
  const std::string_view text(data, static_cast<size_t>(size));
  if (owned == nullptr || text.size() > kMaxSharedStringBytes) return Keep(jinja::Value::String(std::string(text)), owned);
  static auto* shared = new std::unordered_map<std::string_view, jinja::Value>();
  if (auto it = shared->find(text); it != shared->end()) return it->second.Borrow();
  jinja::Value made = jinja::Value::String(std::string(text));
  if (shared->size() >= kMaxSharedStrings) return Keep(std::move(made), owned);
  const std::string_view key = made.as_string();  // the kept string's own bytes
  return shared->emplace(key, std::move(made)).first->second.Borrow();
}

// Converts `object`; with `owned`, every string, list and dict is kept there and borrowed.
jinja::Value Convert(py::handle object, const char* what, int depth, std::vector<jinja::Value>* owned) {
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
  if (PyUnicode_Check(p)) return StringValue(p, owned);
  if (PyDict_Check(p)) {
    jinja::Value dict = jinja::Value::MakeDict();
    std::vector<std::pair<jinja::Value, jinja::Value>>& items = dict.as_dict().items;
    items.reserve(static_cast<size_t>(PyDict_GET_SIZE(p)));
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(p, &position, &key, &value)) {
      if (!PyUnicode_Check(key)) {
        throw StatusError(InvalidArgumentError(std::string(what) + ": a dict key is a " + TypeName(key) +
                                               ", not a str"));
      }
      // A Python dict's str keys are distinct, and stay so as template strings: no lookup.
      items.emplace_back(StringValue(key, owned), Convert(value, what, depth + 1, owned));
    }
    return Keep(std::move(dict), owned);
  }
  if (PyList_Check(p) || PyTuple_Check(p)) {
    const bool is_tuple = PyTuple_Check(p);
    py::sequence sequence = py::reinterpret_borrow<py::sequence>(object);
    std::vector<jinja::Value> items;
    items.reserve(sequence.size());
    for (py::handle item : sequence) items.push_back(Convert(item, what, depth + 1, owned));
    return Keep(jinja::Value::FromList(std::move(items), is_tuple), owned);
  }
  throw StatusError(InvalidArgumentError(std::string(what) + ": a " + TypeName(object) +
                                         " cannot be passed to a template (use dict, list, tuple, "
                                         "str, int, float, bool or None)"));
}

}  // namespace

jinja::Value ToTemplateValue(py::handle object, const char* what) { return Convert(object, what, 0, nullptr); }

jinja::Value TemplateArguments::Convert(py::handle object, const char* what) {
  if (owned_.capacity() == 0) owned_.reserve(32);
  return python::Convert(object, what, 0, &owned_);
}

}  // namespace tunepack::python
