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
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <variant>  // std::bad_variant_access, thrown by a getter of the wrong kind
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
  // kGroup: a (grouper, list) pair from the groupby filter, a tuple whose items are also
  // the attributes `grouper` and `list` (Jinja2's _GroupTuple).
  // kRange: what range() returns: its items, printed as range(start, stop[, step]) from
  // `range`, never equal to a list, not JSON, without list methods.
  enum class View : uint8_t { kNone, kKeys, kValues, kItems, kGroup, kRange } view = View::kNone;
  struct RangeBounds {
    int64_t start = 0, stop = 0, step = 1;
  } range;

  List() = default;
  List(const List&) = default;
  List(List&&) = default;
  List& operator=(const List&) = default;
  List& operator=(List&&) = default;
  // Releases nested lists, dicts and objects without recursing (a list nested 100,000
  // deep is freed with a bounded stack).
  ~List();
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

  Dict() = default;
  Dict(const Dict&) = default;
  Dict(Dict&&) = default;
  Dict& operator=(const Dict&) = default;
  Dict& operator=(Dict&&) = default;
  ~Dict();  ///< releases nested values without recursing, as ~List does
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
  Value() : kind_(Kind::kUndefined) { new (&ptr_) std::shared_ptr<const void>(); }
  Value(const Value& other) : kind_(other.kind_) { CopyFrom(other); }
  Value(Value&& other) noexcept : kind_(other.kind_) { MoveFrom(other); }
  // Both assignments take the source out first: it may live inside the list or dict this
  // value holds (v = v[0]).
  Value& operator=(const Value& other) {
    if (this != &other) {
      Value copy(other);
      Destroy();
      kind_ = copy.kind_;
      MoveFrom(copy);
    }
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      if (HoldsNothing()) {  // nothing to release, so `other` cannot live inside this value
        kind_ = other.kind_;
        MoveFrom(other);
        return *this;
      }
      Value taken(std::move(other));
      Destroy();
      kind_ = taken.kind_;
      MoveFrom(taken);
    }
    return *this;
  }
  ~Value() { Destroy(); }

  static Value None() { return Value(NoneTag{}); }
  static Value Bool(bool b) { return Value(b); }
  static Value Int(int64_t i) { return Value(i); }
  static Value Float(double f) { return Value(f); }
  static Value String(std::string s) {
    return Value(std::make_shared<const std::string>(std::move(s)));
  }
  static Value StringPtr(std::shared_ptr<const std::string> s) { return Value(std::move(s)); }
  // Returns a string marked safe for HTML (markupsafe's Markup): autoescaping leaves it as
  // it is, and joining it with plain strings escapes those.
  static Value Markup(std::string s) {
    Value v = String(std::move(s));
    v.markup_ = true;
    return v;
  }
  // Returns this string marked safe (a copy sharing the text); other values unchanged.
  Value AsMarkup() const {
    Value v(*this);
    v.markup_ = kind_ == Kind::kString;
    return v;
  }
  // Returns a string value that refers to `s` without owning it, and copies of it that
  // count no references (no atomic operation each time a render copies it). `s` must
  // outlive the value and every copy: use it for a render's inputs, which outlive the render.
  static Value BorrowedString(const std::string& s) {
    return Value(StrPtr(StrPtr(), &s));
  }
  // Returns this value without ownership, as BorrowedString does: the same string, list,
  // dict or object, which must outlive the returned value and its copies; scalars as they are.
  Value Borrow() const {
    if (HoldsNothing()) return *this;
    Value v;  // an Undefined, whose payload is an empty pointer: no copy of this one's
    v.kind_ = kind_;
    v.markup_ = markup_;
    v.ptr_ = std::shared_ptr<const void>(std::shared_ptr<const void>(), ptr_.get());
    return v;
  }
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
    auto info = std::make_shared<UndefinedInfo>();
    info->message = std::move(message);
    return Value(UndefinedTag{}, std::move(info));
  }

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind() == Kind::kUndefined; }
  bool is_none() const { return kind() == Kind::kNone; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_float() const { return kind() == Kind::kFloat; }
  // Returns true for int, float and bool (bool is an int subclass in Python).
  bool is_number() const { return is_int() || is_float() || is_bool(); }
  bool is_string() const { return kind() == Kind::kString; }
  // Returns true for a string marked safe (Markup).
  bool is_markup() const { return markup_; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_dict() const { return kind() == Kind::kDict; }
  bool is_object() const { return kind() == Kind::kObject; }

  bool as_bool() const { return Check(Kind::kBool), bool_; }
  int64_t as_int() const { return Check(Kind::kInt), int_; }
  double as_float() const { return Check(Kind::kFloat), float_; }
  // Returns the number as a double (int, float or bool).
  double ToDouble() const;
  const std::string& as_string() const { return Check(Kind::kString), *static_cast<const std::string*>(ptr_.get()); }
  std::shared_ptr<const std::string> string_ptr() const {
    return std::shared_ptr<const std::string>(ptr_, &as_string());
  }
  List& as_list() const { return Check(Kind::kList), *static_cast<List*>(const_cast<void*>(ptr_.get())); }
  Dict& as_dict() const { return Check(Kind::kDict), *static_cast<Dict*>(const_cast<void*>(ptr_.get())); }
  Object& as_object() const { return Check(Kind::kObject), *static_cast<Object*>(const_cast<void*>(ptr_.get())); }
  std::shared_ptr<Object> object_ptr() const { return std::shared_ptr<Object>(ptr_, &as_object()); }
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
    return Value(UndefinedTag{}, std::move(info));
  }

  // Returns Python's truth value (Undefined is false).
  bool Truthy() const;

  // Returns true when both values are the same object (Python's `is`) for shared kinds, or
  // equal scalars of the same kind.
  bool SameAs(const Value& other) const;

  // Returns true when this value is the last owner of a list, dict or object, whose
  // release would run that container's destructor (and maybe recurse into its items).
  bool OwnsLastContainer() const {
    return (kind_ == Kind::kList || kind_ == Kind::kDict || kind_ == Kind::kObject) && ptr_.use_count() == 1;
  }

 private:
  // A tagged union rather than std::variant: values are copied, moved and destroyed all the
  // time while rendering, and a switch on the kind costs less than variant's visitation.
  struct NoneTag {};
  struct UndefinedTag {};
  using StrPtr = std::shared_ptr<const std::string>;
  using UndefinedPtr = std::shared_ptr<const UndefinedInfo>;

  explicit Value(NoneTag) : kind_(Kind::kNone) { int_ = 0; }
  explicit Value(bool b) : kind_(Kind::kBool) {
    int_ = 0;
    bool_ = b;
  }
  explicit Value(int64_t i) : kind_(Kind::kInt) { int_ = i; }
  explicit Value(double f) : kind_(Kind::kFloat) { float_ = f; }
  explicit Value(StrPtr s) : kind_(Kind::kString) { new (&ptr_) std::shared_ptr<const void>(std::move(s)); }
  explicit Value(std::shared_ptr<List> l) : kind_(Kind::kList) { new (&ptr_) std::shared_ptr<const void>(std::move(l)); }
  explicit Value(std::shared_ptr<Dict> d) : kind_(Kind::kDict) { new (&ptr_) std::shared_ptr<const void>(std::move(d)); }
  explicit Value(std::shared_ptr<Object> o) : kind_(Kind::kObject) {
    new (&ptr_) std::shared_ptr<const void>(std::move(o));
  }
  Value(UndefinedTag, UndefinedPtr info) : kind_(Kind::kUndefined) {
    new (&ptr_) std::shared_ptr<const void>(std::move(info));
  }

  // Throws what std::get threw for a getter of the wrong kind.
  void Check(Kind kind) const {
    if (kind_ != kind) throw std::bad_variant_access();
  }
  const UndefinedInfo* undefined_info() const {
    return Check(Kind::kUndefined), static_cast<const UndefinedInfo*>(ptr_.get());
  }
  // Undefined, str, list, dict and object values hold `ptr_` (Undefined's may be empty);
  // the others a scalar.
  bool HoldsPointer() const { return kind_ == Kind::kUndefined || kind_ >= Kind::kString; }
  // Returns true when the payload owns nothing (a scalar, None, or a plain Undefined).
  bool HoldsNothing() const { return !HoldsPointer() || !ptr_; }

  // Construct the payload from `other`'s (kind_ already set to other.kind_).
  void CopyFrom(const Value& other) {
    markup_ = other.markup_;
    if (HoldsPointer()) {
      new (&ptr_) std::shared_ptr<const void>(other.ptr_);
    } else {
      int_ = other.int_;  // the scalar's 8 bytes, whichever scalar it is
    }
  }
  void MoveFrom(Value& other) noexcept {
    markup_ = other.markup_;
    if (HoldsPointer()) {
      new (&ptr_) std::shared_ptr<const void>(std::move(other.ptr_));
    } else {
      int_ = other.int_;
    }
  }
  void Destroy() noexcept {
    if (HoldsPointer()) ptr_.~shared_ptr();
  }

  Kind kind_;
  bool markup_ = false;  ///< a kString that is Markup (fits in the padding after kind_)
  // One shared_ptr for every shared kind (its control block knows the real type), so that
  // copying, moving and destroying a value is one branch, not a switch over the kinds.
  union {
    bool bool_;
    int64_t int_;
    double float_;
    std::shared_ptr<const void> ptr_;
  };
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
