// Python methods of str, list and dict that chat templates call (message.content.strip(),
// messages[0].get('role'), tool.items()...), with CPython's semantics.
#include <algorithm>
#include <optional>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/render.h"
#include "template/runtime_objects.h"
#include "template/str_format.h"

namespace tunepack::jinja {

using MethodFn = Value (*)(Renderer& r, const Value& self, CallArgs& args);

struct Method {
  std::string_view name;
  MethodFn fn;
  bool mutating;
};

namespace {

const std::string* OptStr(const CallArgs& args, size_t i, std::string_view name, std::string_view method) {
  const Value* v = args.Get(i, name);
  if (v == nullptr || v->is_none()) return nullptr;
  if (!v->is_string()) {
    Throw(std::string(method) + " arg must be None or str");
  }
  return &v->as_string();
}

int64_t OptInt(const CallArgs& args, size_t i, std::string_view name, int64_t dflt) {
  const Value* v = args.Get(i, name);
  if (v == nullptr || v->is_none()) return dflt;
  if (v->is_int()) return v->as_int();
  if (v->is_bool()) return v->as_bool();
  Throw("'" + std::string(PyTypeName(*v)) + "' object cannot be interpreted as an integer");
}

const std::string& ReqStr(const CallArgs& args, size_t i, std::string_view name, std::string_view what) {
  const Value* v = args.Get(i, name);
  if (v == nullptr) Throw(std::string(what) + "() takes at least " + std::to_string(i + 1) + " argument (" + std::to_string(args.pos.size()) + " given)");
  if (!v->is_string()) Throw("must be str, not " + std::string(PyTypeName(*v)));
  return v->as_string();
}

Value StrList(std::vector<std::string> parts) {
  std::vector<Value> items;
  items.reserve(parts.size());
  for (auto& p : parts) items.push_back(Value::String(std::move(p)));
  return Value::FromList(std::move(items));
}

// Returns the part of `s` that str.startswith/endswith look at: s[start:end] when the call
// gives start (argument 1) or end (argument 2), counted in code points and clamped as
// CPython clamps them; nullopt when start lies past the end (nothing matches, not even '').
std::optional<std::string_view> AffixWindow(const std::string& s, const CallArgs& args) {
  if (args.pos.size() < 2) return std::string_view(s);
  const std::vector<size_t> offsets = CodePointOffsets(s);
  const int64_t n = static_cast<int64_t>(offsets.size()) - 1;
  int64_t start = OptInt(args, 1, "start", 0);
  int64_t end = OptInt(args, 2, "end", n);
  if (end > n) {
    end = n;
  } else if (end < 0) {
    end = std::max<int64_t>(end + n, 0);
  }
  if (start < 0) start = std::max<int64_t>(start + n, 0);
  if (start > end) return std::nullopt;
  return std::string_view(s).substr(offsets[start], offsets[end] - offsets[start]);
}

// startswith/endswith accept a str or a tuple of str, then optional start and end.
Value AffixCheck(const Value& self, CallArgs& args, bool prefix) {
  const std::optional<std::string_view> window = AffixWindow(self.as_string(), args);
  const std::string_view s = window.value_or(std::string_view());
  const Value* arg = args.Get(0, "prefix");
  if (arg == nullptr) Throw(std::string(prefix ? "startswith" : "endswith") + "() takes at least 1 argument (0 given)");
  auto check = [&](const Value& v) {
    if (!v.is_string()) {
      Throw(std::string(prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not " +
            std::string(PyTypeName(v)));
    }
    const std::string& a = v.as_string();
    if (!window.has_value() || a.size() > s.size()) return false;
    return prefix ? s.substr(0, a.size()) == a : s.substr(s.size() - a.size()) == a;
  };
  if (arg->is_list() && arg->as_list().is_tuple) {
    for (const auto& v : arg->as_list().items) {
      if (check(v)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  return Value::Bool(check(*arg));
}

Value View(std::vector<Value> items, List::View view) {
  Value v = Value::FromList(std::move(items));
  v.as_list().view = view;
  return v;
}

int64_t CodePointIndex(const std::string& s, size_t byte_offset) {
  return static_cast<int64_t>(CodePointCount(std::string_view(s).substr(0, byte_offset)));
}

const Method kStrMethods[] = {
    {"strip", [](Renderer&, const Value& self, CallArgs& a) { return Value::String(PyStrip(self.as_string(), OptStr(a, 0, "chars", "strip"), true, true)); }, false},
    {"lstrip", [](Renderer&, const Value& self, CallArgs& a) { return Value::String(PyStrip(self.as_string(), OptStr(a, 0, "chars", "lstrip"), true, false)); }, false},
    {"rstrip", [](Renderer&, const Value& self, CallArgs& a) { return Value::String(PyStrip(self.as_string(), OptStr(a, 0, "chars", "rstrip"), false, true)); }, false},
    {"split", [](Renderer&, const Value& self, CallArgs& a) {
       const std::string* sep = OptStr(a, 0, "sep", "split");
       if (sep != nullptr && sep->empty()) Throw("empty separator");
       return StrList(PySplit(self.as_string(), sep, OptInt(a, 1, "maxsplit", -1)));
     }, false},
    {"rsplit", [](Renderer&, const Value& self, CallArgs& a) {
       const std::string* sep = OptStr(a, 0, "sep", "rsplit");
       if (sep != nullptr && sep->empty()) Throw("empty separator");
       return StrList(PyRSplit(self.as_string(), sep, OptInt(a, 1, "maxsplit", -1)));
     }, false},
    {"splitlines", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* keep = a.Get(0, "keepends");
       return StrList(PySplitLines(self.as_string(), keep != nullptr && keep->Truthy()));
     }, false},
    {"startswith", [](Renderer&, const Value& self, CallArgs& a) { return AffixCheck(self, a, true); }, false},
    {"endswith", [](Renderer&, const Value& self, CallArgs& a) { return AffixCheck(self, a, false); }, false},
    {"upper", [](Renderer&, const Value& self, CallArgs&) { return Value::String(PyUpper(self.as_string())); }, false},
    {"lower", [](Renderer&, const Value& self, CallArgs&) { return Value::String(PyLower(self.as_string())); }, false},
    {"title", [](Renderer&, const Value& self, CallArgs&) { return Value::String(PyTitle(self.as_string())); }, false},
    {"capitalize", [](Renderer&, const Value& self, CallArgs&) { return Value::String(PyCapitalize(self.as_string())); }, false},
    {"replace", [](Renderer&, const Value& self, CallArgs& a) {
       return Value::String(PyReplace(self.as_string(), ReqStr(a, 0, "old", "replace"), ReqStr(a, 1, "new", "replace"),
                                      OptInt(a, 2, "count", -1)));
     }, false},
    {"find", [](Renderer&, const Value& self, CallArgs& a) {
       const size_t hit = self.as_string().find(ReqStr(a, 0, "sub", "find"));
       return Value::Int(hit == std::string::npos ? -1 : CodePointIndex(self.as_string(), hit));
     }, false},
    {"rfind", [](Renderer&, const Value& self, CallArgs& a) {
       const size_t hit = self.as_string().rfind(ReqStr(a, 0, "sub", "rfind"));
       return Value::Int(hit == std::string::npos ? -1 : CodePointIndex(self.as_string(), hit));
     }, false},
    {"index", [](Renderer&, const Value& self, CallArgs& a) {
       const size_t hit = self.as_string().find(ReqStr(a, 0, "sub", "index"));
       if (hit == std::string::npos) Throw("substring not found");
       return Value::Int(CodePointIndex(self.as_string(), hit));
     }, false},
    {"count", [](Renderer&, const Value& self, CallArgs& a) {
       const std::string& sub = ReqStr(a, 0, "sub", "count");
       const std::string& s = self.as_string();
       if (sub.empty()) return Value::Int(static_cast<int64_t>(CodePointCount(s)) + 1);
       int64_t n = 0;
       for (size_t pos = s.find(sub); pos != std::string::npos; pos = s.find(sub, pos + sub.size())) ++n;
       return Value::Int(n);
     }, false},
    {"join", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* seq = a.Get(0, "iterable");
       if (seq == nullptr) Throw("join() takes exactly one argument (0 given)");
       std::string out;
       size_t i = 0;
       for (const auto& item : Iterate(*seq)) {
         if (!item.is_string()) {
           Throw("sequence item " + std::to_string(i) + ": expected str instance, " + std::string(PyTypeName(item)) + " found");
         }
         if (i++ > 0) out += self.as_string();
         out += item.as_string();
         CheckValueBytes(out.size());
       }
       return Value::String(std::move(out));
     }, false},
    {"isdigit", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsDigit(self.as_string())); }, false},
    {"isnumeric", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsDigit(self.as_string())); }, false},
    {"isdecimal", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsDigit(self.as_string())); }, false},
    {"isalpha", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsAlpha(self.as_string())); }, false},
    {"isalnum", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsAlnum(self.as_string())); }, false},
    {"isspace", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsSpace(self.as_string())); }, false},
    {"islower", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsLower(self.as_string())); }, false},
    {"isupper", [](Renderer&, const Value& self, CallArgs&) { return Value::Bool(PyIsUpper(self.as_string())); }, false},
    {"center", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* fill = a.Get(1, "fillchar");
       return Value::String(PyCenter(self.as_string(), OptInt(a, 0, "width", 0), fill && fill->is_string() ? fill->as_string() : " "));
     }, false},
    {"ljust", [](Renderer&, const Value& self, CallArgs& a) {
       std::string s = self.as_string();
       const Value* fill = a.Get(1, "fillchar");
       const std::string f = fill && fill->is_string() ? fill->as_string() : " ";
       const int64_t width = OptInt(a, 0, "width", 0);
       const int64_t len = static_cast<int64_t>(CodePointCount(s));
       if (width > len) CheckValueBytes(s.size() + static_cast<uint64_t>(width - len) * f.size());
       for (int64_t n = len; n < width; ++n) s += f;
       return Value::String(std::move(s));
     }, false},
    {"rjust", [](Renderer&, const Value& self, CallArgs& a) {
       std::string pad;
       const Value* fill = a.Get(1, "fillchar");
       const std::string f = fill && fill->is_string() ? fill->as_string() : " ";
       const int64_t width = OptInt(a, 0, "width", 0);
       const int64_t len = static_cast<int64_t>(CodePointCount(self.as_string()));
       if (width > len) CheckValueBytes(self.as_string().size() + static_cast<uint64_t>(width - len) * f.size());
       for (int64_t n = len; n < width; ++n) pad += f;
       return Value::String(pad + self.as_string());
     }, false},
    {"zfill", [](Renderer&, const Value& self, CallArgs& a) {
       std::string s = self.as_string();
       const int64_t width = OptInt(a, 0, "width", 0);
       const int64_t len = static_cast<int64_t>(CodePointCount(s));
       if (width <= len) return Value::String(s);
       CheckValueBytes(s.size() + static_cast<uint64_t>(width - len));
       const size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
       s.insert(sign, static_cast<size_t>(width - len), '0');
       return Value::String(std::move(s));
     }, false},
    {"partition", [](Renderer&, const Value& self, CallArgs& a) {
       const std::string& sep = ReqStr(a, 0, "sep", "partition");
       if (sep.empty()) Throw("empty separator");
       const std::string& s = self.as_string();
       const size_t hit = s.find(sep);
       if (hit == std::string::npos) return Value::FromList({self, Value::String(""), Value::String("")}, true);
       return Value::FromList({Value::String(s.substr(0, hit)), Value::String(sep), Value::String(s.substr(hit + sep.size()))}, true);
     }, false},
    {"rpartition", [](Renderer&, const Value& self, CallArgs& a) {
       const std::string& sep = ReqStr(a, 0, "sep", "rpartition");
       if (sep.empty()) Throw("empty separator");
       const std::string& s = self.as_string();
       const size_t hit = s.rfind(sep);
       if (hit == std::string::npos) return Value::FromList({Value::String(""), Value::String(""), self}, true);
       return Value::FromList({Value::String(s.substr(0, hit)), Value::String(sep), Value::String(s.substr(hit + sep.size()))}, true);
     }, false},
    {"format", [](Renderer& r, const Value& self, CallArgs& a) {
       // A Markup format string escapes each field it fills (markupsafe's EscapeFormatter).
       std::string out = PyStrFormat(r, self.as_string(), a, self.is_markup());
       return self.is_markup() ? Value::Markup(std::move(out)) : Value::String(std::move(out));
     }, false},
};

const Method kListMethods[] = {
    {"append", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* v = a.Get(0, "object");
       if (v == nullptr) Throw("list.append() takes exactly one argument (0 given)");
       self.as_list().items.push_back(*v);
       return Value::None();
     }, true},
    {"extend", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* v = a.Get(0, "iterable");
       if (v == nullptr) Throw("list.extend() takes exactly one argument (0 given)");
       for (auto& item : Iterate(*v)) self.as_list().items.push_back(std::move(item));
       CheckListItems(self.as_list().items.size());
       return Value::None();
     }, true},
    {"insert", [](Renderer&, const Value& self, CallArgs& a) {
       auto& items = self.as_list().items;
       int64_t i = OptInt(a, 0, "index", 0);
       const Value* v = a.Get(1, "object");
       if (v == nullptr) Throw("insert expected 2 arguments, got " + std::to_string(a.pos.size()));
       const int64_t n = static_cast<int64_t>(items.size());
       if (i < 0) i = std::max<int64_t>(0, i + n);
       items.insert(items.begin() + std::min(i, n), *v);
       return Value::None();
     }, true},
    {"pop", [](Renderer&, const Value& self, CallArgs& a) {
       auto& items = self.as_list().items;
       if (items.empty()) Throw("pop from empty list");
       int64_t i = OptInt(a, 0, "index", -1);
       const int64_t n = static_cast<int64_t>(items.size());
       if (i < 0) i += n;
       if (i < 0 || i >= n) Throw("pop index out of range");
       Value v = items[i];
       items.erase(items.begin() + i);
       return v;
     }, false},  // jinja2.sandbox's _mutable_spec does not list pop or clear for sequences
    {"remove", [](Renderer&, const Value& self, CallArgs& a) {
       auto& items = self.as_list().items;
       const Value* v = a.Get(0, "value");
       for (auto it = items.begin(); v != nullptr && it != items.end(); ++it) {
         if (PyEquals(*it, *v)) {
           items.erase(it);
           return Value::None();
         }
       }
       Throw("list.remove(x): x not in list");
     }, true},
    {"reverse", [](Renderer&, const Value& self, CallArgs&) {
       std::reverse(self.as_list().items.begin(), self.as_list().items.end());
       return Value::None();
     }, true},
    {"clear", [](Renderer&, const Value& self, CallArgs&) {
       self.as_list().items.clear();
       return Value::None();
     }, false},
    {"index", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* v = a.Get(0, "value");
       const auto& items = self.as_list().items;
       for (size_t i = 0; v != nullptr && i < items.size(); ++i) {
         if (PyEquals(items[i], *v)) return Value::Int(static_cast<int64_t>(i));
       }
       std::string repr;
       if (v != nullptr) AppendPyRepr(*v, repr);
       Throw(repr + " is not in list");
     }, false},
    {"count", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* v = a.Get(0, "value");
       int64_t n = 0;
       for (const auto& item : self.as_list().items) n += v != nullptr && PyEquals(item, *v);
       return Value::Int(n);
     }, false},
    {"copy", [](Renderer&, const Value& self, CallArgs&) { return Value::FromList(self.as_list().items, self.as_list().is_tuple); }, false},
    {"sort", [](Renderer&, const Value& self, CallArgs& a) {
       auto& items = self.as_list().items;
       const Value* rev = a.Get(99, "reverse");
       const bool reverse = rev != nullptr && rev->Truthy();
       std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
         return reverse ? PyLess(y, x) : PyLess(x, y);
       });
       return Value::None();
     }, true},
};

const Method kDictMethods[] = {
    {"items", [](Renderer&, const Value& self, CallArgs&) {
       std::vector<Value> items;
       items.reserve(self.as_dict().items.size());
       for (const auto& [k, v] : self.as_dict().items) items.push_back(Value::FromList({k, v}, true));
       return View(std::move(items), List::View::kItems);
     }, false},
    {"keys", [](Renderer&, const Value& self, CallArgs&) { return View(Iterate(self), List::View::kKeys); }, false},
    {"values", [](Renderer&, const Value& self, CallArgs&) {
       std::vector<Value> items;
       for (const auto& [k, v] : self.as_dict().items) items.push_back(v);
       return View(std::move(items), List::View::kValues);
     }, false},
    {"get", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* key = a.Get(0, "key");
       if (key == nullptr) Throw("get expected at least 1 argument, got 0");
       const Value* v = self.as_dict().Find(*key);
       if (v != nullptr) return *v;
       const Value* dflt = a.Get(1, "default");
       return dflt != nullptr ? *dflt : Value::None();
     }, false},
    {"copy", [](Renderer&, const Value& self, CallArgs&) {
       Value d = Value::MakeDict();
       d.as_dict().items = self.as_dict().items;
       return d;
     }, false},
    {"update", [](Renderer&, const Value& self, CallArgs& a) {
       if (const Value* other = a.Get(0, "__other"); other != nullptr && other->is_dict()) {
         for (const auto& [k, v] : other->as_dict().items) self.as_dict().Set(k, v);
       }
       for (const auto& [k, v] : a.kw) self.as_dict().Set(Value::String(k), v);
       return Value::None();
     }, true},
    {"pop", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* key = a.Get(0, "key");
       auto& items = self.as_dict().items;
       for (auto it = items.begin(); key != nullptr && it != items.end(); ++it) {
         if (PyEquals(it->first, *key)) {
           Value v = it->second;
           items.erase(it);
           return v;
         }
       }
       if (const Value* dflt = a.Get(1, "default")) return *dflt;
       std::string repr;
       if (key != nullptr) AppendPyRepr(*key, repr);
       Throw(repr);
     }, true},
    {"setdefault", [](Renderer&, const Value& self, CallArgs& a) {
       const Value* key = a.Get(0, "key");
       if (key == nullptr) Throw("setdefault expected at least 1 argument, got 0");
       if (const Value* v = self.as_dict().Find(*key)) return *v;
       const Value* dflt = a.Get(1, "default");
       Value v = dflt != nullptr ? *dflt : Value::None();
       self.as_dict().Set(*key, v);
       return v;
     }, true},
    {"clear", [](Renderer&, const Value& self, CallArgs&) {
       self.as_dict().items.clear();
       return Value::None();
     }, true},
};

}  // namespace

const Method* MethodOf(const MethodSet& set, const Value& self) {
  switch (self.kind()) {
    case Value::Kind::kString: return set.str;
    case Value::Kind::kList: {
      const Method* m = set.list;
      // Tuples only have the non-mutating methods; a range only count and index.
      if (m != nullptr && self.as_list().is_tuple && (m->mutating || m->name == "copy")) return nullptr;
      if (m != nullptr && self.as_list().view == List::View::kRange && m->name != "count" && m->name != "index") return nullptr;
      return m;
    }
    case Value::Kind::kDict: return set.dict;
    default: return nullptr;
  }
}

bool IsMutating(const Method& method) { return method.mutating; }

namespace {

template <size_t N>
const Method* FindIn(const Method (&table)[N], std::string_view name) {
  // Attribute lookups on dicts ask here first (message.role), and almost all miss: compare
  // the first byte before the whole name so a miss rarely reaches memcmp.
  if (name.empty()) return nullptr;
  for (const Method& m : table) {
    if (m.name[0] == name[0] && m.name == name) return &m;
  }
  return nullptr;
}

const Method* FindMethod(const Value& self, std::string_view name) {
  switch (self.kind()) {
    case Value::Kind::kString: return FindIn(kStrMethods, name);
    case Value::Kind::kList: return MethodOf({nullptr, FindIn(kListMethods, name), nullptr}, self);
    case Value::Kind::kDict: return FindIn(kDictMethods, name);
    default: return nullptr;
  }
}

}  // namespace

bool HasMethod(const Value& self, std::string_view name) { return FindMethod(self, name) != nullptr; }

bool IsDictMethodName(std::string_view name) { return FindIn(kDictMethods, name) != nullptr; }

bool IsMutatingMethod(const Value& self, std::string_view name) {
  const Method* m = FindMethod(self, name);
  return m != nullptr && m->mutating;
}

namespace {

// The str methods Markup overrides to escape their string arguments and return Markup
// (markupsafe 2.1); its other methods return what str's do.
bool IsMarkupMethod(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "capitalize", "title", "lower", "upper", "replace", "ljust", "rjust", "lstrip", "rstrip", "center",
      "strip", "translate", "expandtabs", "swapcase", "zfill", "join",
      "split", "rsplit", "splitlines", "partition", "rpartition"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

Value EscapeArgument(const Value& v) {
  if (!v.is_string() || v.is_markup()) return v;
  return EscapeToMarkup(v);
}

// Returns `v` (a str result, or a list of them) as Markup.
Value MarkAll(const Value& v) {
  if (v.is_string()) return v.AsMarkup();
  if (!v.is_list()) return v;
  std::vector<Value> items;
  for (const Value& item : v.as_list().items) items.push_back(item.AsMarkup());
  return Value::FromList(std::move(items), v.as_list().is_tuple);
}

}  // namespace

MethodSet FindMethods(std::string_view name) {
  return {FindIn(kStrMethods, name), FindIn(kListMethods, name), FindIn(kDictMethods, name)};
}

bool CallMethod(Renderer& renderer, const Value& self, std::string_view name, CallArgs& args, Value* result) {
  const Method* m = FindMethod(self, name);
  if (m == nullptr) return false;
  *result = CallMethod(renderer, *m, self, args);
  return true;
}

Value CallMethod(Renderer& renderer, const Method& method, const Value& self, CallArgs& args) {
  const Method* m = &method;
  const std::string_view name = m->name;
  if (self.is_markup() && IsMarkupMethod(name)) {
    CallArgs escaped;
    for (const Value& v : args.pos) {
      if (name == "join" && v.is_list()) {
        // Markup.join escapes the items it joins.
        std::vector<Value> items;
        for (const Value& item : v.as_list().items) items.push_back(EscapeToMarkup(item));
        escaped.pos.push_back(Value::FromList(std::move(items)));
      } else {
        escaped.pos.push_back(EscapeArgument(v));
      }
    }
    for (const auto& [k, v] : args.kw) escaped.kw.emplace_back(k, EscapeArgument(v));
    return MarkAll(m->fn(renderer, self, escaped));
  }
  // Running loops read their list's items in place: they copy them before any list changes
  // (pop and clear change it too, though the sandbox allows them).
  if (self.is_list() && (m->mutating || name == "pop" || name == "clear")) internal::LoopObject::BeforeListChange();
  return m->fn(renderer, self, args);
}

}  // namespace tunepack::jinja
