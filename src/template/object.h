// Object: the Value kind for things that are not data: macros, built-in functions, bound
// methods, namespace() results and loop objects. Also RenderError, the exception the
// renderer throws internally (Template converts it to a Status with line and column).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/status.h"
#include "tunepack/template/value.h"

namespace tunepack::jinja {

class Renderer;
namespace internal {
class LoopObject;
}

// CallArgs: evaluated positional and keyword arguments of a call, filter or test.
struct CallArgs {
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;

  // Returns the argument at position `index` or named `name`; Undefined when absent.
  const Value* Get(size_t index, std::string_view name) const {
    if (index < pos.size()) return &pos[index];
    for (const auto& [k, v] : kw) {
      if (k == name) return &v;
    }
    return nullptr;
  }
};

// RenderError: thrown inside the renderer; `message` is worded as Python Jinja2 words it
// (the parity test compares them). `offset` is the source position, or npos when the
// renderer should use the expression it was evaluating.
struct RenderError {
  std::string message;
  StatusCode code = StatusCode::kInvalidArgument;
  size_t offset = std::string::npos;
};

[[noreturn]] inline void Throw(std::string message,
                               StatusCode code = StatusCode::kInvalidArgument) {
  throw RenderError{std::move(message), code};
}

class Object {
 public:
  virtual ~Object() = default;
  // Returns the Python type name used in messages, e.g. "namespace".
  virtual std::string_view TypeName() const = 0;
  // Returns the attribute `name`, or an Undefined value (with no message) when missing.
  virtual Value GetAttr(std::string_view name) { return Value(); }
  // Returns the attribute `name` where the object stores it (valid until the object
  // changes), or null when it stores no such attribute or computes its attributes.
  virtual const Value* AttrRef(std::string_view name) { return nullptr; }
  // Sets attribute `name`; returns false when the object does not allow it.
  virtual bool SetAttr(std::string_view name, Value value) { return false; }
  virtual bool IsCallable() const { return false; }
  // Calls the object; throws RenderError on failure.
  virtual Value Call(Renderer& renderer, CallArgs& args) {
    Throw("'" + std::string(TypeName()) + "' object is not callable");
  }
  // Appends str(self).
  virtual void AppendStr(std::string& out) const {
    out += "<";
    out += TypeName();
    out += " object>";
  }
  virtual bool Truthy() const { return true; }
  // Returns this object as a for loop's `loop`, or null for any other object.
  virtual const internal::LoopObject* AsLoop() const { return nullptr; }
};

}  // namespace tunepack::jinja
