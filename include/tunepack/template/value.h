// Value: the data a Jinja2 template computes with, modelled on the Python objects Jinja2 sees.
//
// Kinds mirror what a chat template receives from Python: None, bool, int, float, str, list
// (and tuple), dict (insertion ordered, like Python 3.7+), Jinja2's Undefined, and objects
// (callables such as macros and `namespace()` results). Strings, lists and dicts are shared
// by reference, as in Python: copying a Value is cheap and `append` through one copy is seen
// through all of them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::jinja {

class Value;
class Object;  // callables, namespaces, loop objects; defined inside the module

// List: a Python list, or a tuple when `is_tuple` (which only changes how it prints).
struct List {
  std::vector<Value> items;
  bool is_tuple = false;
  // What dict.keys()/values()/items() return prints as dict_keys([...]) and the like.
  enum class View : uint8_t { kNone, kKeys, kValues, kItems } view = View::kNone;
};

// Dict: a Python dict; keys keep insertion order and compare with Python's ==.
struct Dict {
  std::vector<std::pair<Value, Value>> items;

  // Returns the value stored under the string key `key`, or nullptr.
  const Value* Find(std::string_view key) const;
  // Returns the value stored under `key`, or nullptr.
  const Value* Find(const Value& key) const;
  // Stores `value` under `key`, replacing an existing entry in place (Python's d[k] = v).
  void Set(Value key, Value value);
};

// UndefinedInfo: why a value is undefined, for the error raised when it is used. Either a
// ready `message`, or the object type and attribute of a failed lookup, worded only when the
// message is needed (lookups that miss are common: `message.tool_calls is defined`).
struct UndefinedInfo {
  std::string message;         ///< e.g. "'foo' is undefined", as Jinja2 words it
  std::string_view type_repr;  ///< static text such as "dict object" or "None"
  std::string attribute;       ///< the attribute that was missing

  // Returns the message: `message`, or "'<type_repr>' has no attribute '<attribute>'".
  std::string Message() const;
};

class Value {
 public:
  enum class Kind : uint8_t { kUndefined, kNone, kBool, kInt, kFloat, kString, kList, kDict, kObject };

  // Constructs an Undefined value.
  Value() = default;

  static Value None() { return Value(NoneTag{}); }
  static Value Bool(bool b) { return Value(b); }
  static Value Int(int64_t i) { return Value(i); }
  static Value Float(double f) { return Value(f); }
  static Value String(std::string s) {
    return Value(std::make_shared<const std::string>(std::move(s)));
  }
  static Value StringPtr(std::shared_ptr<const std::string> s) { return Value(std::move(s)); }
  // Returns an empty list (or tuple).
  static Value MakeList(bool is_tuple = false) {
    auto list = std::make_shared<List>();
    list->is_tuple = is_tuple;
    return Value(std::move(list));
  }
  static Value FromList(std::vector<Value> items, bool is_tuple = false) {
    auto list = std::make_shared<List>();
    list->items = std::move(items);
    list->is_tuple = is_tuple;
    return Value(std::move(list));
  }
  static Value MakeDict() { return Value(std::make_shared<Dict>()); }
  static Value FromObject(std::shared_ptr<Object> object) { return Value(std::move(object)); }
  // Returns an Undefined whose use raises an error with `message`.
  static Value UndefinedWith(std::string message) {
    return Value(Undefined{std::make_shared<const UndefinedInfo>(UndefinedInfo{std::move(message)})});
  }

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_undefined() const { return kind() == Kind::kUndefined; }
  bool is_none() const { return kind() == Kind::kNone; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_float() const { return kind() == Kind::kFloat; }
  // Returns true for int, float and bool (bool is an int subclass in Python).
  bool is_number() const { return is_int() || is_float() || is_bool(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_dict() const { return kind() == Kind::kDict; }
  bool is_object() const { return kind() == Kind::kObject; }

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_float() const { return std::get<double>(data_); }
  // Returns the number as a double (int, float or bool).
  double ToDouble() const;
  const std::string& as_string() const { return *std::get<StrPtr>(data_); }
  const std::shared_ptr<const std::string>& string_ptr() const { return std::get<StrPtr>(data_); }
  List& as_list() const { return *std::get<std::shared_ptr<List>>(data_); }
  Dict& as_dict() const { return *std::get<std::shared_ptr<Dict>>(data_); }
  Object& as_object() const { return *std::get<std::shared_ptr<Object>>(data_); }
  const std::shared_ptr<Object>& object_ptr() const { return std::get<std::shared_ptr<Object>>(data_); }
  // Returns the message explaining an Undefined ("" when there is none).
  std::string undefined_message() const;
  // Returns true when this Undefined carries a reason (a lookup that failed, a missing name).
  bool has_undefined_info() const;
  // Returns an Undefined for the missing attribute `attribute` of an object whose Jinja2
  // object_type_repr is `type_repr` (a string with static storage).
  static Value MissingAttribute(std::string_view type_repr, std::string_view attribute) {
    auto info = std::make_shared<UndefinedInfo>();
    info->type_repr = type_repr;
    info->attribute = std::string(attribute);
    return Value(Undefined{std::move(info)});
  }

  // Returns Python's truth value (Undefined is false).
  bool Truthy() const;

  // Returns true when both values are the same object (Python's `is`) for shared kinds, or
  // equal scalars of the same kind.
  bool SameAs(const Value& other) const;

 private:
  struct NoneTag {};
  struct Undefined {
    std::shared_ptr<const UndefinedInfo> info;
  };
  using StrPtr = std::shared_ptr<const std::string>;

  template <typename T>
  explicit Value(T v) : data_(std::move(v)) {}

  std::variant<Undefined, NoneTag, bool, int64_t, double, StrPtr, std::shared_ptr<List>,
               std::shared_ptr<Dict>, std::shared_ptr<Object>>
      data_;
};

// Returns Python's `a == b` (1 == 1.0 == True; lists and dicts compare deeply).
bool PyEquals(const Value& a, const Value& b);

// Appends Python's str(value): strings as they are, True/False/None, floats as repr() does
// ("1.0", "1e-05"), lists and dicts with repr() of their items ("[1, 'a']"). Undefined
// appends nothing, as Jinja2 prints it.
void AppendPyStr(const Value& value, std::string& out);
// Appends Python's repr(value) ("'a'" for a string).
void AppendPyRepr(const Value& value, std::string& out);
// Returns Python's str(value).
std::string PyStr(const Value& value);
// Appends repr(x) for a float as Python prints it: shortest round-trip digits.
void AppendPyFloat(double x, std::string& out);

// Returns the value of the JSON text `json` (objects become dicts with their key order kept,
// integers ints, other numbers floats), or InvalidArgument.
Result<Value> ParseJson(std::string_view json);

}  // namespace tunepack::jinja
