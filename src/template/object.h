// Object: the Value kind for things that are not data: macros, built-in functions, bound
// methods, namespace() results and loop objects. Also RenderError, the exception the
// renderer throws internally (Template converts it to a Status with line and column).
#pragma once

#include <memory>
#include <new>
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

// ArgValues: the positional arguments of a call. The first kInline live inside the object,
// so a call with that many or fewer (nearly every call a chat template makes:
// startswith('<tool_response>'), split('</think>'), get('role')) allocates nothing for them;
// more move to a vector.
class ArgValues {
 public:
  static constexpr size_t kInline = 3;

  ArgValues() = default;
  ArgValues(const ArgValues& other) { assign(other.begin(), other.end()); }
  ArgValues& operator=(const ArgValues& other) {
    if (this != &other) assign(other.begin(), other.end());
    return *this;
  }
  ~ArgValues() { clear(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Value* begin() { return data(); }
  Value* end() { return data() + size_; }
  const Value* begin() const { return data(); }
  const Value* end() const { return data() + size_; }
  Value& operator[](size_t i) { return data()[i]; }
  const Value& operator[](size_t i) const { return data()[i]; }
  void reserve(size_t n) {
    if (n > kInline) heap_.reserve(n);
  }
  void push_back(Value value) {
    if (heap_.empty()) {
      if (size_ < kInline) {
        new (&inline_values()[size_]) Value(std::move(value));
        ++size_;
        return;
      }
      heap_.reserve(kInline * 2);
      for (size_t i = 0; i < size_; ++i) heap_.push_back(std::move(inline_values()[i]));
      std::destroy_n(inline_values(), size_);
    }
    heap_.push_back(std::move(value));
    ++size_;
  }
  template <typename It>
  void assign(It first, It last) {
    std::vector<Value> values(first, last);  // first..last may be this object's own values
    clear();
    for (Value& v : values) push_back(std::move(v));
  }
  void clear() {
    if (heap_.empty()) {
      std::destroy_n(inline_values(), size_);
    } else {
      heap_.clear();
    }
    size_ = 0;
  }
  // Returns the arguments as a vector (a list or tuple built from them).
  std::vector<Value> ToVector() const { return std::vector<Value>(begin(), end()); }

 private:
  // The first kInline values are constructed in `inline_` as they are added (a call without
  // arguments constructs none); past kInline, heap_ holds them all (so it is not empty).
  Value* inline_values() { return std::launder(reinterpret_cast<Value*>(inline_)); }
  const Value* inline_values() const { return std::launder(reinterpret_cast<const Value*>(inline_)); }
  Value* data() { return heap_.empty() ? inline_values() : heap_.data(); }
  const Value* data() const { return heap_.empty() ? inline_values() : heap_.data(); }

  alignas(Value) unsigned char inline_[kInline * sizeof(Value)];
  std::vector<Value> heap_;
  size_t size_ = 0;
};

// CallArgs: evaluated positional and keyword arguments of a call, filter or test.
struct CallArgs {
  ArgValues pos;
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
