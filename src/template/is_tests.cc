// Jinja2's built-in tests (jinja2/tests.py, 3.1), used as `x is name(args)`.
#include "template/parser.h"
#include "template/pystr.h"
#include "template/render.h"
#include "tunepack/core/registry.h"

namespace tunepack::jinja {
namespace {

const Value& Operand(const CallArgs& args, std::string_view test) {
  if (args.pos.empty()) {
    if (!args.kw.empty()) return args.kw[0].second;
    Throw(std::string(test) + "() missing 1 required positional argument: 'other'");
  }
  return args.pos[0];
}

void RegisterBuiltinTests(Registry<TestEntry>& r) {
  auto add = [&](const char* name, TestFn fn) { (void)r.Add(TestEntry{name, fn}); };
  add("boolean", [](Renderer&, const Value& v, CallArgs&) { return v.is_bool(); });
  add("callable", [](Renderer&, const Value& v, CallArgs&) { return v.is_object() && v.as_object().IsCallable(); });
  add("defined", [](Renderer&, const Value& v, CallArgs&) { return !v.is_undefined(); });
  add("divisibleby", [](Renderer&, const Value& v, CallArgs& a) {
    Value rem = BinaryOp(BinOp::kMod, v, Operand(a, "divisibleby"));
    return !rem.Truthy();
  });
  add("escaped", [](Renderer&, const Value& v, CallArgs&) { return v.is_markup(); });
  add("even", [](Renderer&, const Value& v, CallArgs&) { return !BinaryOp(BinOp::kMod, v, Value::Int(2)).Truthy(); });
  add("odd", [](Renderer&, const Value& v, CallArgs&) { return BinaryOp(BinOp::kMod, v, Value::Int(2)).Truthy(); });
  add("false", [](Renderer&, const Value& v, CallArgs&) { return v.is_bool() && !v.as_bool(); });
  add("true", [](Renderer&, const Value& v, CallArgs&) { return v.is_bool() && v.as_bool(); });
  add("filter", [](Renderer&, const Value& v, CallArgs&) { return v.is_string() && FindFilter(v.as_string()) != nullptr; });
  add("test", [](Renderer&, const Value& v, CallArgs&) { return v.is_string() && FindTest(v.as_string()) != nullptr; });
  add("float", [](Renderer&, const Value& v, CallArgs&) { return v.is_float(); });
  add("integer", [](Renderer&, const Value& v, CallArgs&) { return v.is_int(); });
  add("number", [](Renderer&, const Value& v, CallArgs&) { return v.is_number(); });
  add("in", [](Renderer&, const Value& v, CallArgs& a) { return PyContains(Operand(a, "test_in"), v); });
  add("iterable", [](Renderer&, const Value& v, CallArgs&) {
    return v.is_string() || v.is_list() || v.is_dict() || v.is_undefined();
  });
  add("lower", [](Renderer&, const Value& v, CallArgs&) { return PyIsLower(PyStr(v)); });
  add("upper", [](Renderer&, const Value& v, CallArgs&) { return PyIsUpper(PyStr(v)); });
  add("mapping", [](Renderer&, const Value& v, CallArgs&) { return v.is_dict(); });
  add("none", [](Renderer&, const Value& v, CallArgs&) { return v.is_none(); });
  add("sameas", [](Renderer&, const Value& v, CallArgs& a) { return v.SameAs(Operand(a, "sameas")); });
  add("sequence", [](Renderer&, const Value& v, CallArgs&) { return v.is_string() || v.is_list() || v.is_dict(); });
  add("string", [](Renderer&, const Value& v, CallArgs&) { return v.is_string(); });
  add("undefined", [](Renderer&, const Value& v, CallArgs&) { return v.is_undefined(); });
  TestFn eq = [](Renderer&, const Value& v, CallArgs& a) { return PyEquals(v, Operand(a, "eq")); };
  TestFn ne = [](Renderer&, const Value& v, CallArgs& a) { return !PyEquals(v, Operand(a, "ne")); };
  TestFn lt = [](Renderer&, const Value& v, CallArgs& a) { return PyLess(v, Operand(a, "lt"), "<"); };
  TestFn le = [](Renderer&, const Value& v, CallArgs& a) { return !PyLess(Operand(a, "le"), v, "<="); };
  TestFn gt = [](Renderer&, const Value& v, CallArgs& a) { return PyLess(Operand(a, "gt"), v, ">"); };
  TestFn ge = [](Renderer&, const Value& v, CallArgs& a) { return !PyLess(v, Operand(a, "ge"), ">="); };
  add("==", eq); add("eq", eq); add("equalto", eq);
  add("!=", ne); add("ne", ne);
  add("<", lt); add("lt", lt); add("lessthan", lt);
  add("<=", le); add("le", le);
  add(">", gt); add("gt", gt); add("greaterthan", gt);
  add(">=", ge); add("ge", ge);
}

const Registry<TestEntry>& Tests() {
  static const Registry<TestEntry>* registry = [] {
    auto* r = new Registry<TestEntry>();
    RegisterBuiltinTests(*r);
    return r;
  }();
  return *registry;
}

}  // namespace

const TestEntry* FindTest(std::string_view name) { return Tests().Find(name); }

}  // namespace tunepack::jinja
