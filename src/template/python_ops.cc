// Python's value semantics as Jinja2 templates see them: type names, len(), iteration,
// ordering, `in`, the arithmetic operators with Python's rules (int overflow is an error,
// floor division and modulo round toward negative infinity, str * int repeats) and
// markupsafe's escaping of Markup operands.
#include "template/python_ops.h"

#include <cmath>

#include "template/pystr.h"
#include "template/render.h"
#include "tunepack/core/html_escape.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

[[noreturn]] void ThrowOverflow(int64_t a, std::string_view op, int64_t b) {
  ThrowIntegerOverflow(std::to_string(a) + " " + std::string(op) + " " + std::to_string(b));
}
int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) ThrowOverflow(a, "+", b);
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) ThrowOverflow(a, "*", b);
  return r;
}

std::string_view OpSymbol(BinOp op) {
  switch (op) {
    case BinOp::kAdd: return "+";
    case BinOp::kSub: return "-";
    case BinOp::kMul: return "*";
    case BinOp::kDiv: return "/";
    case BinOp::kFloorDiv: return "//";
    case BinOp::kMod: return "%";
    case BinOp::kPow: return "** or pow()";
  }
  return "?";
}

[[noreturn]] void UnsupportedOperands(BinOp op, const Value& a, const Value& b) {
  Throw("unsupported operand type(s) for " + std::string(OpSymbol(op)) + ": '" + std::string(PyTypeName(a)) +
        "' and '" + std::string(PyTypeName(b)) + "'");
}

Value Repeat(const Value& seq, int64_t times) {
  if (seq.is_string()) {
    if (times <= 0) return Value::String("");
    const uint64_t unit = seq.as_string().size();
    if (unit != 0 && static_cast<uint64_t>(times) > UINT64_MAX / unit) CheckValueBytes(UINT64_MAX);
    CheckValueBytes(unit * static_cast<uint64_t>(times));
    std::string out;
    out.reserve(unit * static_cast<uint64_t>(times));
    for (int64_t i = 0; i < times; ++i) out += seq.as_string();
    return Value::String(std::move(out));
  }
  const List& list = seq.as_list();
  if (times <= 0 || list.items.empty()) return Value::FromList({}, list.is_tuple);
  if (static_cast<uint64_t>(times) > kMaxListItems) CheckListItems(UINT64_MAX);
  CheckListItems(list.items.size() * static_cast<uint64_t>(times));
  std::vector<Value> items;
  items.reserve(list.items.size() * static_cast<size_t>(times));
  for (int64_t i = 0; i < times; ++i) items.insert(items.end(), list.items.begin(), list.items.end());
  return Value::FromList(std::move(items), list.is_tuple);
}

double FloorMod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

}  // namespace

int64_t CheckedSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) ThrowOverflow(a, "-", b);
  return r;
}

std::string_view PyTypeName(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined: return "Undefined";
    case Value::Kind::kNone: return "NoneType";
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kInt: return "int";
    case Value::Kind::kFloat: return "float";
    case Value::Kind::kString: return v.is_markup() ? "Markup" : "str";
    case Value::Kind::kList:
      if (v.as_list().view == List::View::kRange) return "range";
      return v.as_list().is_tuple ? "tuple" : "list";
    case Value::Kind::kDict: return "dict";
    case Value::Kind::kObject: return v.as_object().TypeName();
  }
  return "object";
}

std::string ObjectTypeRepr(const Value& v) {
  if (v.is_none()) return "None";
  if (v.is_undefined()) return "jinja2.runtime.Undefined object";
  return std::string(PyTypeName(v)) + " object";
}

void ThrowUndefined(const Value& undefined) {
  const std::string message = undefined.undefined_message();
  Throw(message.empty() ? "'undefined' is undefined" : message);
}

Value MissingAttributeNamed(const Value& obj, std::string_view name) {
  if (obj.is_undefined()) return obj;
  switch (obj.kind()) {
    case Value::Kind::kNone: return Value::MissingAttribute("None", name);
    case Value::Kind::kBool: return Value::MissingAttribute("bool object", name);
    case Value::Kind::kInt: return Value::MissingAttribute("int object", name);
    case Value::Kind::kFloat: return Value::MissingAttribute("float object", name);
    case Value::Kind::kString: return Value::MissingAttribute("str object", name);
    case Value::Kind::kList:
      if (obj.as_list().view == List::View::kRange) return Value::MissingAttribute("range object", name);
      return Value::MissingAttribute(obj.as_list().is_tuple ? "tuple object" : "list object", name);
    case Value::Kind::kDict: return Value::MissingAttribute("dict object", name);
    default: {
      std::string message = "'" + ObjectTypeRepr(obj) + "' has no attribute ";
      AppendPyStringRepr(name, message);
      return Value::UndefinedWith(std::move(message));
    }
  }
}

Value MissingAttribute(const Value& obj, const Value& name) {
  if (obj.is_undefined()) return obj;
  std::string message;
  if (name.is_string()) return MissingAttributeNamed(obj, name.as_string());
  {
    message = ObjectTypeRepr(obj) + " has no element ";
    AppendPyRepr(name, message);
  }
  return Value::UndefinedWith(std::move(message));
}

std::vector<Value> Iterate(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined: return {};
    case Value::Kind::kList:
      CurrentBudget().Charge(v.as_list().items.size());
      return v.as_list().items;
    case Value::Kind::kDict: {
      CurrentBudget().Charge(v.as_dict().items.size());
      std::vector<Value> keys;
      keys.reserve(v.as_dict().items.size());
      for (const auto& [k, val] : v.as_dict().items) keys.push_back(k);
      return keys;
    }
    case Value::Kind::kString: {
      const std::string& s = v.as_string();
      std::vector<Value> chars;
      std::vector<size_t> offs = CodePointOffsets(s);
      CurrentBudget().Charge(offs.size());
      chars.reserve(offs.size());
      for (size_t i = 0; i + 1 < offs.size(); ++i) chars.push_back(Value::String(s.substr(offs[i], offs[i + 1] - offs[i])));
      return chars;
    }
    default: Throw("'" + std::string(PyTypeName(v)) + "' object is not iterable");
  }
}

int64_t PyLen(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined: return 0;
    case Value::Kind::kString: return static_cast<int64_t>(CodePointCount(v.as_string()));
    case Value::Kind::kList: return static_cast<int64_t>(v.as_list().items.size());
    case Value::Kind::kDict: return static_cast<int64_t>(v.as_dict().items.size());
    default: Throw("object of type '" + std::string(PyTypeName(v)) + "' has no len()");
  }
}

bool PyLess(const Value& a, const Value& b, std::string_view op) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.ToDouble() < b.ToDouble();
    return AsInt(a) < AsInt(b);
  }
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if (a.is_list() && b.is_list() && a.as_list().is_tuple == b.as_list().is_tuple) {
    ValueDepthGuard guard;
    const auto& x = a.as_list().items;
    const auto& y = b.as_list().items;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (!PyEquals(x[i], y[i])) return PyLess(x[i], y[i], op);
    }
    return x.size() < y.size();
  }
  if (a.is_undefined()) ThrowUndefined(a);
  if (b.is_undefined()) ThrowUndefined(b);
  Throw("'" + std::string(op) + "' not supported between instances of '" + std::string(PyTypeName(a)) + "' and '" +
        std::string(PyTypeName(b)) + "'");
}

bool PyContains(const Value& haystack, const Value& needle) {
  switch (haystack.kind()) {
    case Value::Kind::kString:
      if (!needle.is_string()) {
        if (needle.is_undefined()) ThrowUndefined(needle);
        Throw("'in <string>' requires string as left operand, not " + std::string(PyTypeName(needle)));
      }
      return haystack.as_string().find(needle.as_string()) != std::string::npos;
    case Value::Kind::kList:
      CurrentBudget().Charge(haystack.as_list().items.size());
      for (const auto& item : haystack.as_list().items) {
        if (PyEquals(item, needle)) return true;
      }
      return false;
    case Value::Kind::kDict: return haystack.as_dict().Find(needle) != nullptr;
    case Value::Kind::kUndefined: return false;
    default: Throw("argument of type '" + std::string(PyTypeName(haystack)) + "' is not iterable");
  }
}

// Markup % args escapes the arguments (markupsafe's _MarkupEscapeHelper): strings and
// containers print escaped, numbers as they are.
static Value EscapeArg(const Value& v) {
  if (v.is_number() || v.is_none() || v.is_markup()) return v;
  return Value::Markup(EscapeHtml(PyStr(v)));
}
static Value EscapeFormatArgs(const Value& args) {
  if (args.is_list() && args.as_list().is_tuple) {
    std::vector<Value> items;
    for (const Value& item : args.as_list().items) items.push_back(EscapeArg(item));
    return Value::FromList(std::move(items), true);
  }
  if (args.is_dict()) {
    Value dict = Value::MakeDict();
    for (const auto& [k, v] : args.as_dict().items) dict.as_dict().items.emplace_back(k, EscapeArg(v));
    return dict;
  }
  return EscapeArg(args);
}

Value BinaryOp(BinOp op, const Value& a, const Value& b) {
  if (a.is_undefined()) ThrowUndefined(a);
  if (b.is_undefined()) ThrowUndefined(b);
  const bool numbers = a.is_number() && b.is_number();
  const bool ints = numbers && !a.is_float() && !b.is_float();
  switch (op) {
    case BinOp::kAdd:
      if (ints) return Value::Int(CheckedAdd(AsInt(a), AsInt(b)));
      if (numbers) return Value::Float(a.ToDouble() + b.ToDouble());
      if (a.is_string() && b.is_string()) {
        // Markup + str and str + Markup escape the plain side (Markup.__add__/__radd__).
        if (a.is_markup() || b.is_markup()) return MarkupJoin({a, b});
        CheckValueBytes(a.as_string().size() + b.as_string().size());
        std::string s;
        s.reserve(a.as_string().size() + b.as_string().size());
        s += a.as_string();
        s += b.as_string();
        return Value::String(std::move(s));
      }
      if (a.is_list() && b.is_list() && a.as_list().is_tuple == b.as_list().is_tuple &&
          a.as_list().view != List::View::kRange && b.as_list().view != List::View::kRange) {
        CheckListItems(a.as_list().items.size() + b.as_list().items.size());
        std::vector<Value> items = a.as_list().items;
        items.insert(items.end(), b.as_list().items.begin(), b.as_list().items.end());
        return Value::FromList(std::move(items), a.as_list().is_tuple);
      }
      if (a.is_string() || (a.is_list() && a.as_list().view != List::View::kRange)) {
        Throw("can only concatenate " + std::string(PyTypeName(a)) + " (not \"" + std::string(PyTypeName(b)) +
              "\") to " + std::string(PyTypeName(a)));
      }
      UnsupportedOperands(op, a, b);
    case BinOp::kSub:
      if (ints) return Value::Int(CheckedSub(AsInt(a), AsInt(b)));
      if (numbers) return Value::Float(a.ToDouble() - b.ToDouble());
      UnsupportedOperands(op, a, b);
    case BinOp::kMul:
      if (ints) return Value::Int(CheckedMul(AsInt(a), AsInt(b)));
      if (numbers) return Value::Float(a.ToDouble() * b.ToDouble());
      if ((a.is_list() && a.as_list().view == List::View::kRange) ||
          (b.is_list() && b.as_list().view == List::View::kRange)) {
        UnsupportedOperands(op, a, b);
      }
      if ((a.is_string() || a.is_list()) && (b.is_int() || b.is_bool())) {
        return a.is_markup() ? Repeat(a, AsInt(b)).AsMarkup() : Repeat(a, AsInt(b));
      }
      if ((b.is_string() || b.is_list()) && (a.is_int() || a.is_bool())) {
        return b.is_markup() ? Repeat(b, AsInt(a)).AsMarkup() : Repeat(b, AsInt(a));
      }
      if (a.is_string() || a.is_list() || b.is_string() || b.is_list()) {
        const Value& other = a.is_string() || a.is_list() ? b : a;
        Throw("can't multiply sequence by non-int of type '" + std::string(PyTypeName(other)) + "'");
      }
      UnsupportedOperands(op, a, b);
    case BinOp::kDiv:
      if (numbers) {
        if (b.ToDouble() == 0) Throw("division by zero");
        return Value::Float(a.ToDouble() / b.ToDouble());
      }
      UnsupportedOperands(op, a, b);
    case BinOp::kFloorDiv:
      if (ints) {
        const int64_t x = AsInt(a), y = AsInt(b);
        if (y == 0) Throw("integer division or modulo by zero");
        // Python's ints do not overflow: -2**63 // -1 is 2**63, which int64 cannot hold.
        if (x == INT64_MIN && y == -1) ThrowOverflow(x, "//", y);
        int64_t q = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
        return Value::Int(q);
      }
      if (numbers) {
        if (b.ToDouble() == 0) Throw("float floor division by zero");
        return Value::Float(std::floor(a.ToDouble() / b.ToDouble()));
      }
      UnsupportedOperands(op, a, b);
    case BinOp::kMod:
      if (a.is_markup()) return Value::Markup(PyPercentFormat(a.as_string(), EscapeFormatArgs(b)));
      if (a.is_string()) return Value::String(PyPercentFormat(a.as_string(), b));
      if (ints) {
        const int64_t x = AsInt(a), y = AsInt(b);
        if (y == 0) Throw("integer modulo by zero");
        if (y == -1) return Value::Int(0);  // x % -1 traps for x = -2**63 in C++; it is 0
        int64_t m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return Value::Int(m);
      }
      if (numbers) {
        if (b.ToDouble() == 0) Throw("float modulo");
        return Value::Float(FloorMod(a.ToDouble(), b.ToDouble()));
      }
      UnsupportedOperands(op, a, b);
    case BinOp::kPow:
      if (ints && AsInt(b) >= 0) {
        int64_t base = AsInt(a), exp = AsInt(b), result = 1;
        while (exp > 0) {
          // |base| >= 2 squared past int64 means the result is past it too.
          if ((exp & 1) && __builtin_mul_overflow(result, base, &result)) ThrowOverflow(AsInt(a), "**", AsInt(b));
          exp >>= 1;
          if (exp > 0 && __builtin_mul_overflow(base, base, &base)) ThrowOverflow(AsInt(a), "**", AsInt(b));
        }
        return Value::Int(result);
      }
      if (numbers) {
        if (a.ToDouble() == 0 && b.ToDouble() < 0) Throw("0.0 cannot be raised to a negative power");
        return Value::Float(std::pow(a.ToDouble(), b.ToDouble()));
      }
      UnsupportedOperands(op, a, b);
  }
  UnsupportedOperands(op, a, b);
}

Value EscapeToMarkup(const Value& v) {
  if (v.is_markup()) return v;
  return Value::Markup(EscapeHtml(PyStr(v)));
}

Value MarkupJoin(const std::vector<Value>& parts) {
  bool any_markup = false;
  for (const Value& part : parts) any_markup |= part.is_markup();
  std::string out;
  for (const Value& part : parts) {
    if (any_markup && !part.is_markup()) {
      out += EscapeHtml(PyStr(part));
    } else {
      AppendPyStr(part, out);
    }
    CheckValueBytes(out.size());
  }
  return any_markup ? Value::Markup(std::move(out)) : Value::String(std::move(out));
}

}  // namespace tunepack::jinja
