// Attribute and item lookup as Jinja2's getattr and getitem do it (a sandboxed template
// cannot reach mutating methods), calls of callable values, macro calls with their
// argument binding (defaults, *varargs, **kwargs, caller) and filters and tests by name.
#include <algorithm>

#include "template/parser.h"
#include "template/pystr.h"
#include "template/render.h"
#include "template/runtime_objects.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

constexpr uint64_t kMacroCallOperations = 10;

}  // namespace

using internal::BoundMethod;
using internal::TypeObject;

void Renderer::EvalArgs(const ArgList& args, Scope& scope, CallArgs& out) {
  out.pos.reserve(args.pos.size());
  for (const auto& a : args.pos) out.pos.push_back(Eval(*a, scope));
  if (args.star) {
    for (auto& v : Iterate(Eval(*args.star, scope))) out.pos.push_back(std::move(v));
  }
  out.kw.reserve(args.kw.size());  // namespace(a=..., b=...): room once, not regrown per keyword
  for (const auto& [k, v] : args.kw) out.kw.emplace_back(k, Eval(*v, scope));
  if (args.star_star) {
    Value extra = Eval(*args.star_star, scope);
    if (extra.is_dict()) {
      for (const auto& [k, v] : extra.as_dict().items) out.kw.emplace_back(PyStr(k), v);
    }
  }
}

Value Renderer::GetAttr(const Value& obj, std::string_view name) {
  // x.__class__ (and its __name__): a default environment lets templates see a value's type.
  if (name == "__class__" && !program_.options.sandboxed && !obj.is_undefined() && !obj.is_object()) {
    return Value::FromObject(std::make_shared<TypeObject>(std::string(PyTypeName(obj))));
  }
  switch (obj.kind()) {
    case Value::Kind::kDict: {
      if (HasMethod(obj, name)) {
        if (program_.options.sandboxed && IsMutatingMethod(obj, name)) {
          return Value::UndefinedWith("access to attribute '" + std::string(name) + "' of 'dict' object is unsafe.");
        }
        return Value::FromObject(std::make_shared<BoundMethod>(obj, std::string(name)));
      }
      const Value* v = obj.as_dict().Find(name);
      if (v != nullptr) return *v;
      break;
    }
    case Value::Kind::kObject: {
      Value v = obj.as_object().GetAttr(name);
      if (!v.is_undefined() || v.has_undefined_info()) return v;
      break;
    }
    case Value::Kind::kUndefined: ThrowUndefined(obj);
    case Value::Kind::kList:
      if (obj.as_list().view == List::View::kGroup) {
        if (name == "grouper") return obj.as_list().items[0];
        if (name == "list") return obj.as_list().items[1];
      }
      [[fallthrough]];
    case Value::Kind::kString:
      if (HasMethod(obj, name)) {
        if (program_.options.sandboxed && IsMutatingMethod(obj, name)) {
          return Value::UndefinedWith("access to attribute '" + std::string(name) + "' of '" +
                                      std::string(PyTypeName(obj)) + "' object is unsafe.");
        }
        return Value::FromObject(std::make_shared<BoundMethod>(obj, std::string(name)));
      }
      break;
    default: break;
  }
  return MissingAttributeNamed(obj, name);
}

Value Renderer::GetItem(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case Value::Kind::kDict: {
      const Value* v = obj.as_dict().Find(key);
      if (v != nullptr) return *v;
      break;
    }
    case Value::Kind::kList: {
      if (key.is_int() || key.is_bool()) {
        const auto& items = obj.as_list().items;
        int64_t i = AsInt(key);
        if (i < 0) i += static_cast<int64_t>(items.size());
        if (i >= 0 && i < static_cast<int64_t>(items.size())) return items[i];
      }
      break;
    }
    case Value::Kind::kString: {
      if (key.is_int() || key.is_bool()) {
        const std::string& s = obj.as_string();
        std::vector<size_t> offs = CodePointOffsets(s);
        int64_t n = static_cast<int64_t>(offs.size()) - 1;
        int64_t i = AsInt(key);
        if (i < 0) i += n;
        if (i >= 0 && i < n) {
          std::string c = s.substr(offs[i], offs[i + 1] - offs[i]);
          return obj.is_markup() ? Value::Markup(std::move(c)) : Value::String(std::move(c));
        }
      }
      break;
    }
    case Value::Kind::kUndefined: ThrowUndefined(obj);
    default: break;
  }
  if (key.is_string()) {
    // Jinja2 falls back to the attribute: d['items'] on a dict without the key is the method.
    if (obj.is_object()) {
      Value v = obj.as_object().GetAttr(key.as_string());
      if (!v.is_undefined()) return v;
    } else if (HasMethod(obj, key.as_string())) {
      return GetAttr(obj, key.as_string());
    }
  }
  return MissingAttribute(obj, key);
}

Value Renderer::CallValue(const Value& callee, CallArgs& args) {
  if (callee.is_object() && callee.as_object().IsCallable()) {
    Charge(1);
    CheckStack();
    if (++depth_ > program_.options.max_call_depth) {
      --depth_;
      Throw("maximum call depth of " + std::to_string(program_.options.max_call_depth) + " exceeded",
            StatusCode::kResourceExhausted);
    }
    Value result;
    try {
      result = callee.as_object().Call(*this, args);
    } catch (...) {
      --depth_;
      throw;
    }
    --depth_;
    return result;
  }
  if (callee.is_undefined()) ThrowUndefined(callee);
  Throw("'" + std::string(PyTypeName(callee)) + "' object is not callable");
}

Value Renderer::CallMacro(const MacroDef& macro, const std::vector<std::pair<int, Value>>& closure, CallArgs& args,
                          const std::pair<int, Value>& self) {
  // A macro call (a scope, its arguments, a captured string) costs about ten statements.
  Charge(kMacroCallOperations);
  Scope scope;
  scope.parent = root_;
  for (const auto& [slot, value] : closure) scope.vars.emplace_back(slot, Value(value));
  if (self.first >= 0) SetVar(scope, self.first, Value(self.second));
  Value bound_caller;
  const size_t n = macro.param_names.size();
  std::vector<bool> given(n, false);
  std::vector<Value> values(n);
  std::vector<Value> varargs;
  for (size_t i = 0; i < args.pos.size(); ++i) {
    if (i < n) {
      values[i] = args.pos[i];
      given[i] = true;
    } else if (macro.uses_varargs) {
      varargs.push_back(args.pos[i]);
    } else {
      Throw("macro '" + macro.name + "' takes not more than " + std::to_string(n) + " argument(s)");
    }
  }
  Value kwargs = Value::MakeDict();
  Value caller = bound_caller;
  for (auto& [key, value] : args.kw) {
    bool matched = false;
    for (size_t i = 0; i < n; ++i) {
      if (macro.param_names[i] != key) continue;
      if (given[i]) Throw("macro '" + macro.name + "' got multiple values for argument '" + key + "'");
      values[i] = value;
      given[i] = true;
      matched = true;
    }
    if (matched) continue;
    if (key == "caller" && macro.uses_caller) {
      caller = value;
    } else if (macro.uses_kwargs) {
      kwargs.as_dict().Set(Value::String(key), value);
    } else {
      Throw("macro '" + macro.name + "' takes no keyword argument '" + key + "'");
    }
  }
  const size_t first_default = n - macro.defaults.size();
  for (size_t i = 0; i < n; ++i) {
    if (!given[i]) {
      if (i >= first_default) {
        values[i] = Eval(*macro.defaults[i - first_default], scope);
      } else {
        values[i] = Value::UndefinedWith("parameter '" + macro.param_names[i] + "' was not provided");
      }
    }
    SetVar(scope, macro.param_slots[i], std::move(values[i]));
  }
  if (macro.uses_varargs) SetVar(scope, macro.varargs_slot, Value::FromList(std::move(varargs), true));
  if (macro.uses_kwargs) SetVar(scope, macro.kwargs_slot, Value(kwargs));
  // A macro with its own `caller` parameter gets the call block's caller through it.
  const bool caller_is_param =
      std::find(macro.param_names.begin(), macro.param_names.end(), "caller") != macro.param_names.end();
  if (macro.uses_caller && !caller_is_param) {
    SetVar(scope, macro.caller_slot,
           caller.is_undefined() ? Value::UndefinedWith("No caller defined") : caller);
  }
  return Value::String(Capture(macro.body, scope));
}

Value Renderer::ApplyFilter(std::string_view name, const Value& input, CallArgs& args) {
  const FilterEntry* f = FindFilter(name);
  if (f == nullptr) Throw("No filter named '" + std::string(name) + "'.");
  return f->fn(*this, input, args);
}

bool Renderer::ApplyTest(std::string_view name, const Value& input, CallArgs& args) {
  const TestEntry* t = FindTest(name);
  if (t == nullptr) Throw("No test named '" + std::string(name) + "'.");
  return t->fn(*this, input, args);
}

}  // namespace tunepack::jinja
