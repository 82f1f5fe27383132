#include "tunepack/template/value.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "template/limits.h"
#include "template/object.h"
#include "template/pystr.h"

namespace tunepack::jinja {
namespace {

// Returns true when the first and the last sizeof(Word) bytes of `a` and `b` (n bytes each,
// sizeof(Word) <= n <= 2 * sizeof(Word), so these cover them all) are the same.
template <typename Word>
inline bool SameEnds(const char* a, const char* b, size_t n) {
  Word a0, b0, a1, b1;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Returns a == b. Dict keys and role names are short and mostly differ in length or first
// byte, or are the very same string: those cases are decided inline, without memcmp.
inline bool SameText(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n == 0 || a.data() == b.data()) return true;
  if (a[0] != b[0]) return false;
  // Up to 16 bytes (most keys: role, content, tool_calls...): two overlapping loads from
  // each side, not a call to memcmp.
  if (n >= 8 && n <= 16) return SameEnds<uint64_t>(a.data(), b.data(), n);
  if (n >= 4 && n < 8) return SameEnds<uint32_t>(a.data(), b.data(), n);
  if (n < 4) return (n < 2 || a[1] == b[1]) && (n < 3 || a[2] == b[2]);
  return std::memcmp(a.data() + 1, b.data() + 1, n - 1) == 0;
}

// Values whose release the outermost ~List/~Dict on this thread has deferred; null when no
// release is under way.
thread_local std::vector<Value>* deferred_releases = nullptr;

// Releases the nested containers among `values` (Values, or pairs of them) one at a time
// from a queue instead of recursively: their destructors, run from the queue, add their own
// nested containers to it. Values that are not the last owner of a container are left.
template <typename Range, typename Each>
void ReleaseIteratively(Range& values, Each each) {
  bool any = false;
  for (auto& item : values) each(item, [&](Value& v) { any |= v.OwnsLastContainer(); });
  if (!any) return;
  if (deferred_releases != nullptr) {
    for (auto& item : values) {
      each(item, [&](Value& v) {
        if (v.OwnsLastContainer()) deferred_releases->push_back(std::move(v));
      });
    }
    return;
  }
  std::vector<Value> queue;
  deferred_releases = &queue;
  for (auto& item : values) {
    each(item, [&](Value& v) {
      if (v.OwnsLastContainer()) queue.push_back(std::move(v));
    });
  }
  while (!queue.empty()) {
    Value last = std::move(queue.back());
    queue.pop_back();
  }  // `last` is destroyed here; its destructor may push more onto `queue`
  deferred_releases = nullptr;
}

}  // namespace

List::~List() {
  ReleaseIteratively(items, [](Value& v, auto&& fn) { fn(v); });
}

Dict::~Dict() {
  ReleaseIteratively(items, [](std::pair<Value, Value>& kv, auto&& fn) {
    fn(kv.first);
    fn(kv.second);
  });
}

const Value* Dict::Find(std::string_view key) const {
  for (const auto& [k, v] : items) {
    if (k.is_string() && SameText(k.as_string(), key)) return &v;
  }
  return nullptr;
}

const Value* Dict::Find(const Value& key) const {
  if (key.is_string()) return Find(std::string_view(key.as_string()));
  for (const auto& [k, v] : items) {
    if (PyEquals(k, key)) return &v;
  }
  return nullptr;
}

void Dict::Set(Value key, Value value) {
  for (auto& [k, v] : items) {
    if (PyEquals(k, key)) {
      v = std::move(value);
      return;
    }
  }
  items.emplace_back(std::move(key), std::move(value));
}

double Value::ToDouble() const {
  switch (kind()) {
    case Kind::kInt: return static_cast<double>(as_int());
    case Kind::kFloat: return as_float();
    case Kind::kBool: return as_bool() ? 1.0 : 0.0;
    default: return 0.0;
  }
}

std::string UndefinedInfo::Message() const {
  if (!message.empty() || type_repr.empty()) return message;
  std::string out;
  std::string type_text = "'";
  type_text += type_repr;
  type_text += "'";
  out = type_text + " has no attribute ";
  AppendPyStringRepr(attribute, out);
  return out;
}

std::string Value::undefined_message() const {
  const UndefinedInfo* info = undefined_info();
  return info ? info->Message() : std::string();
}

bool Value::has_undefined_info() const {
  return static_cast<bool>(undefined_info());
}

bool Value::Truthy() const {
  switch (kind()) {
    case Kind::kUndefined:
    case Kind::kNone: return false;
    case Kind::kBool: return as_bool();
    case Kind::kInt: return as_int() != 0;
    case Kind::kFloat: return as_float() != 0.0;
    case Kind::kString: return !as_string().empty();
    case Kind::kList: return !as_list().items.empty();
    case Kind::kDict: return !as_dict().items.empty();
    case Kind::kObject: return as_object().Truthy();
  }
  return false;
}

bool Value::SameAs(const Value& other) const {
  if (kind() != other.kind()) return false;
  switch (kind()) {
    case Kind::kUndefined:
    case Kind::kNone: return true;
    case Kind::kBool: return as_bool() == other.as_bool();
    case Kind::kInt: return as_int() == other.as_int();
    case Kind::kFloat: return as_float() == other.as_float();
    case Kind::kString: return &as_string() == &other.as_string();
    case Kind::kList: return &as_list() == &other.as_list();
    case Kind::kDict: return &as_dict() == &other.as_dict();
    case Kind::kObject: return &as_object() == &other.as_object();
  }
  return false;
}

bool PyEquals(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.ToDouble() == b.ToDouble();
    const int64_t x = a.is_bool() ? a.as_bool() : a.as_int();
    const int64_t y = b.is_bool() ? b.as_bool() : b.as_int();
    return x == y;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case K::kUndefined:
    case K::kNone: return true;
    case K::kString: return SameText(a.as_string(), b.as_string());
    case K::kList: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      if (&x == &y) return true;
      // Python never considers a list equal to a tuple, or a range equal to either.
      if (x.is_tuple != y.is_tuple || x.items.size() != y.items.size()) return false;
      if ((x.view == List::View::kRange) != (y.view == List::View::kRange)) return false;
      ValueDepthGuard guard;
      for (size_t i = 0; i < x.items.size(); ++i) {
        if (!PyEquals(x.items[i], y.items[i])) return false;
      }
      return true;
    }
    case K::kDict: {
      const auto& x = a.as_dict();
      const auto& y = b.as_dict();
      if (&x == &y) return true;
      if (x.items.size() != y.items.size()) return false;
      ValueDepthGuard guard;
      for (const auto& [k, v] : x.items) {
        const Value* other = y.Find(k);
        if (other == nullptr || !PyEquals(v, *other)) return false;
      }
      return true;
    }
    case K::kObject: return &a.as_object() == &b.as_object();
    default: return false;
  }
}

void AppendPyFloat(double x, std::string& out) {
  if (std::isnan(x)) {
    out += "nan";
    return;
  }
  if (std::isinf(x)) {
    out += x < 0 ? "-inf" : "inf";
    return;
  }
  // Python's repr(float): the shortest digits that round-trip, laid out as fixed notation
  // when the decimal exponent is in [-4, 16), scientific ("1e-05", "1.5e+16") otherwise.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  bool negative = false;
  if (!sci.empty() && sci[0] == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+'), sci.data() + sci.size(), exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (negative) out.push_back('-');
  const int n = static_cast<int>(digits.size());
  if (exponent >= -5 + 1 && exponent < 16) {
    if (exponent < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    } else if (exponent + 1 >= n) {
      out += digits;
      out.append(static_cast<size_t>(exponent + 1 - n), '0');
      out += ".0";
    } else {
      out.append(digits, 0, exponent + 1);
      out.push_back('.');
      out.append(digits, exponent + 1);
    }
    return;
  }
  out.push_back(digits[0]);
  if (n > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  out += exp_buf;
}

void AppendPyRepr(const Value& value, std::string& out) {
  using K = Value::Kind;
  switch (value.kind()) {
    case K::kString:
      if (value.is_markup()) out += "Markup(";
      AppendPyStringRepr(value.as_string(), out);
      if (value.is_markup()) out += ")";
      return;
    case K::kList: {
      ValueDepthGuard guard;
      const List& list = value.as_list();
      if (list.view == List::View::kRange) {
        out += "range(" + std::to_string(list.range.start) + ", " + std::to_string(list.range.stop);
        if (list.range.step != 1) out += ", " + std::to_string(list.range.step);
        out += ")";
        return;
      }
      static constexpr const char* kViewNames[] = {"", "dict_keys(", "dict_values(", "dict_items(", ""};
      const char* view_name = kViewNames[static_cast<int>(list.view)];
      out += view_name;
      out.push_back(list.is_tuple ? '(' : '[');
      for (size_t i = 0; i < list.items.size(); ++i) {
        if (i > 0) out += ", ";
        AppendPyRepr(list.items[i], out);
        CheckValueBytes(out.size());
      }
      if (list.is_tuple && list.items.size() == 1) out.push_back(',');
      out.push_back(list.is_tuple ? ')' : ']');
      if (list.view != List::View::kNone && list.view != List::View::kGroup) out.push_back(')');
      return;
    }
    case K::kDict: {
      ValueDepthGuard guard;
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : value.as_dict().items) {
        if (!first) out += ", ";
        first = false;
        AppendPyRepr(k, out);
        out += ": ";
        AppendPyRepr(v, out);
        CheckValueBytes(out.size());
      }
      out.push_back('}');
      return;
    }
    case K::kUndefined: out += "Undefined"; return;
    default: AppendPyStr(value, out); return;
  }
}

void AppendPyStr(const Value& value, std::string& out) {
  using K = Value::Kind;
  switch (value.kind()) {
    case K::kUndefined: return;
    case K::kNone: out += "None"; return;
    case K::kBool: out += value.as_bool() ? "True" : "False"; return;
    case K::kInt: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), value.as_int());
      out.append(buf, res.ptr);
      return;
    }
    case K::kFloat: AppendPyFloat(value.as_float(), out); return;
    case K::kString: out += value.as_string(); return;
    case K::kList:
    case K::kDict: AppendPyRepr(value, out); return;
    case K::kObject: value.as_object().AppendStr(out); return;
  }
}

std::string PyStr(const Value& value) {
  if (value.is_string()) return value.as_string();
  std::string out;
  AppendPyStr(value, out);
  return out;
}

}  // namespace tunepack::jinja
