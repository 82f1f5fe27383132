// The expressions. Values the template only reads (variables, dict entries, list items)
// are used in place rather than copied (EvalRef), conditions are decided without building
// a Value (EvalBool), and chains of string additions are built in one allocation.
#include <algorithm>
#include <memory>

#include "template/parser.h"
#include "template/pystr.h"
#include "template/render.h"
#include "template/runtime_objects.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

// loop.index0, loop.last...: when `obj` is a loop, stores the field `e` names in `out`
// without looking the name up, and returns true.
bool ReadLoopField(const Expr& e, const Value& obj, Value& out) {
  if (e.loop_field == LoopField::kNone || !obj.is_object()) return false;
  const internal::LoopObject* loop = obj.as_object().AsLoop();
  if (loop == nullptr) return false;
  out = loop->Field(e.loop_field);
  return true;
}

}  // namespace

std::shared_ptr<std::string> Renderer::ReusableString() {
  // The strings are this thread's, kept from one render to the next (a render's values are
  // gone when it returns, so its strings are free again), but not with more than this much
  // room: a render that built a large string does not leave it held.
  constexpr size_t kMaxKeptBytes = size_t{1} << 20;
  thread_local std::shared_ptr<std::string> pool[4];
  for (auto& kept : pool) {
    if (kept == nullptr) {
      kept = std::make_shared<std::string>();
      return kept;
    }
    if (kept.use_count() == 1) {
      if (kept->capacity() > kMaxKeptBytes) {
        kept = std::make_shared<std::string>();
      } else {
        kept->clear();
      }
      return kept;
    }
  }
  return std::make_shared<std::string>();
}

// a + b + c + ...: chat templates build each turn this way. When every operand is a string
// the result is built in one allocation at most (none when a reused buffer is free), or for
// {{ a + b + c }} appended to the output with no intermediate string; otherwise it folds
// left to right as Python does. The operands come flattened from CompileProgram (Expr::chain);
// `e` may also be a single `x | trim` ({{ x | trim }}).
Value Renderer::EvalAddChain(const Expr& e, Scope& scope, bool write) {
  const AddChain* chain = e.chain.get();
  if (chain == nullptr && e.kind == ExprKind::kBinary) {  // not compiled: Python's fold, one step
    Value a = Eval(*e.children[0], scope);
    Value b = Eval(*e.children[1], scope);
    offset_ = e.offset;
    Value sum = BinaryOp(e.bin_op, a, b);
    if (!write) return sum;
    WriteValue(sum);
    return Value();
  }
  const Expr* const single = &e;
  const Expr* const* exprs = chain != nullptr ? chain->operands.data() : &single;
  const size_t count = chain != nullptr ? chain->operands.size() : 1;
  const size_t copy_before = chain != nullptr ? chain->copy_before : 0;
  // Most chains are short: their temporaries live on the stack, one per operand (constructed
  // and destroyed for the operands there are, not for the room there is).
  constexpr size_t kSmall = 8;
  alignas(Value) unsigned char small[kSmall * sizeof(Value)];
  std::vector<Value> large;
  Value* tmps = reinterpret_cast<Value*>(small);
  if (count > kSmall) {
    large.resize(count);
    tmps = large.data();
  } else {
    std::uninitialized_default_construct_n(tmps, count);
  }
  struct DestroySmall {
    Value* values;
    size_t count;
    ~DestroySmall() { std::destroy_n(values, count); }
  } destroy_small{tmps, count > kSmall ? 0 : count};
  // Each operand, with its text when it is a string: `x | trim` on a string is the piece of
  // x that trim keeps, read in place (`trimmed`), not a new string. Left uninitialised:
  // only the first `count` are written and read.
  struct Operand {
    const Value* value;
    const char* data;
    size_t size;
    bool trimmed;
  };
  Operand ops[AddChain::kMaxOperands];
  bool all_strings = true;
  size_t total = 0;
  for (size_t k = 0; k < count; ++k) {
    const Expr& x = *exprs[k];
    const bool trim = x.trims_in_place && x.children[0] != nullptr;
    const Value* v = EvalRef(trim ? *x.children[0] : x, scope, tmps[k]);
    if (k < copy_before && v != &tmps[k]) {
      tmps[k] = *v;
      v = &tmps[k];
    }
    Operand& op = ops[k];
    op.trimmed = false;
    if (trim) {
      if (v->is_string() && !v->is_markup()) {
        const std::string_view kept = PyStripView(v->as_string(), nullptr, true, true);
        op.data = kept.data();
        op.size = kept.size();
        op.trimmed = true;
      } else {
        offset_ = x.offset;
        CallArgs no_args;
        Value result = x.filter->fn(*this, *v, no_args);
        tmps[k] = std::move(result);
        v = &tmps[k];
      }
    }
    op.value = v;
    if (!op.trimmed) {
      if (v->is_string() && !v->is_markup()) {
        op.data = v->as_string().data();
        op.size = v->as_string().size();
      } else {
        all_strings = false;
        continue;
      }
    }
    total += op.size;
  }
  if (all_strings) {
    if (write) {
      for (size_t k = 0; k < count; ++k) Write(std::string_view(ops[k].data, ops[k].size));
      return Value();
    }
    CheckValueBytes(total);
    std::shared_ptr<std::string> out = ReusableString();
    out->reserve(total);
    for (size_t k = 0; k < count; ++k) out->append(ops[k].data, ops[k].size);
    return Value::StringPtr(std::move(out));
  }
  for (size_t k = 0; k < count; ++k) {
    if (!ops[k].trimmed) continue;
    Value text = Value::String(std::string(ops[k].data, ops[k].size));  // before tmps[k], which may hold the input
    tmps[k] = std::move(text);
    ops[k].value = &tmps[k];
  }
  Value acc = *ops[0].value;
  for (size_t k = 1; k < count; ++k) {
    offset_ = chain->offsets[k];
    acc = BinaryOp(BinOp::kAdd, acc, *ops[k].value);
  }
  if (write) {
    WriteValue(acc);
    return Value();
  }
  return acc;
}

Value Renderer::EvalCompare(const Expr& e, Scope& scope) { return Value::Bool(EvalCompareBool(e, scope)); }

bool Renderer::EvalCompareBool(const Expr& e, Scope& scope) {
  if (e.compares_to_string) {
    // x == 'literal': a str (or Markup, a str too) equals it when the text is the same.
    Value tmp;
    const Value* left = EvalRef(*e.children[0], scope, tmp);
    const Value& right = e.children[1]->value;
    offset_ = e.offset;
    const bool equal = left->is_string() ? left->as_string() == right.as_string() : PyEquals(*left, right);
    return equal == (e.ops[0] == CmpOp::kEq);
  }
  Value left_tmp, right_tmp;
  const Value* left = EvalRef(*e.children[0], scope, left_tmp);
  for (size_t i = 0; i < e.ops.size(); ++i) {
    const Expr& right_expr = *e.children[i + 1];
    if (left != &left_tmp && !right_expr.runs_no_call) {
      left_tmp = *left;
      left = &left_tmp;
    }
    const Value* right = EvalRef(right_expr, scope, right_tmp);
    offset_ = e.offset;
    bool ok = false;
    switch (e.ops[i]) {
      case CmpOp::kEq: ok = PyEquals(*left, *right); break;
      case CmpOp::kNe: ok = !PyEquals(*left, *right); break;
      case CmpOp::kLt: ok = PyLess(*left, *right, "<"); break;
      case CmpOp::kLe: ok = !PyLess(*right, *left, "<=") ; break;
      case CmpOp::kGt: ok = PyLess(*right, *left, ">"); break;
      case CmpOp::kGe: ok = !PyLess(*left, *right, ">="); break;
      case CmpOp::kIn: ok = PyContains(*right, *left); break;
      case CmpOp::kNotIn: ok = !PyContains(*right, *left); break;
    }
    if (!ok) return false;
    if (right == &right_tmp) {
      left_tmp = std::move(right_tmp);
      left = &left_tmp;
    } else {
      left = right;
    }
  }
  return true;
}

bool Renderer::EvalBool(const Expr& e, Scope& scope) {
  switch (e.kind) {
    case ExprKind::kNot: return !EvalBool(*e.children[0], scope);
    case ExprKind::kAnd: return EvalBool(*e.children[0], scope) && EvalBool(*e.children[1], scope);
    case ExprKind::kOr: return EvalBool(*e.children[0], scope) || EvalBool(*e.children[1], scope);
    case ExprKind::kCompare: return EvalCompareBool(e, scope);
    case ExprKind::kAttr:
      // `if message.tool_calls`: a missing key is an Undefined, which is false, so on a dict
      // the Undefined (and the message it carries) is not built.
      if (e.not_dict_method) {
        Value obj_tmp;
        const Value* obj = EvalRef(*e.children[0], scope, obj_tmp);
        if (obj->is_dict()) {
          const Value* v = obj->as_dict().Find(e.name);
          return v != nullptr && v->Truthy();
        }
        offset_ = e.offset;
        if (Value field; ReadLoopField(e, *obj, field)) return field.Truthy();
        if (obj->is_object()) {
          if (const Value* v = obj->as_object().AttrRef(e.name)) return v->Truthy();
        }
        return GetAttr(*obj, e.name).Truthy();
      }
      break;
    case ExprKind::kTest: {
      // `message.reasoning_content is defined`: the same shortcut for the defined and
      // undefined tests (which take no arguments) on a dict key.
      static const TestEntry* const kDefined = FindTest("defined");
      static const TestEntry* const kUndefined = FindTest("undefined");
      const Expr& input = *e.children[0];
      const bool defined = e.test == kDefined;
      if ((defined || e.test == kUndefined) && input.kind == ExprKind::kAttr && input.not_dict_method &&
          e.args->empty()) {
        Value obj_tmp;
        const Value* obj = EvalRef(*input.children[0], scope, obj_tmp);
        if (obj->is_dict()) {
          const Value* v = obj->as_dict().Find(input.name);
          const bool is_defined = v != nullptr && !v->is_undefined();
          return (defined ? is_defined : !is_defined) != e.negated;
        }
        offset_ = input.offset;
        const Value value = GetAttr(*obj, input.name);
        CallArgs args;
        offset_ = e.offset;
        if (e.test == nullptr) Throw("No test named '" + e.name + "' found.");
        return e.test->fn(*this, value, args) != e.negated;
      }
      // `x is string`, `x is none`...: a test without arguments on a value read in place.
      if (e.test != nullptr && e.args->empty()) {
        Value input_tmp;
        const Value* value = EvalRef(input, scope, input_tmp);
        CallArgs args;
        offset_ = e.offset;
        return e.test->fn(*this, *value, args) != e.negated;
      }
      break;
    }
    default: break;
  }
  Value tmp;
  return EvalRef(e, scope, tmp)->Truthy();
}

const Value* Renderer::EvalRefSlow(const Expr& e, Scope& scope, Value& tmp) {
  switch (e.kind) {
    case ExprKind::kConst: return &e.value;
    case ExprKind::kName: return LookupRef(e.slot, scope);
    case ExprKind::kAttr: {
      Value obj_tmp;
      const Value* obj = EvalRef(*e.children[0], scope, obj_tmp);
      offset_ = e.offset;
      // On a dict, a name that is no dict method is a key, as GetAttr finds it; the entry of
      // a dict stored somewhere (not a temporary) is returned in place.
      if (obj->is_dict() && e.not_dict_method) {
        const Value* v = obj->as_dict().Find(e.name);
        if (v == nullptr) {
          tmp = MissingAttributeNamed(*obj, e.name);
          return &tmp;
        }
        if (obj != &obj_tmp) return v;
        tmp = *v;
        return &tmp;
      }
      if (obj->is_object()) {
        if (ReadLoopField(e, *obj, tmp)) return &tmp;
        // ns.value: read where the namespace stores it, as a dict entry is.
        if (const Value* v = obj->as_object().AttrRef(e.name)) {
          if (obj != &obj_tmp) return v;
          tmp = *v;
          return &tmp;
        }
      }
      tmp = GetAttr(*obj, e.name);
      return &tmp;
    }
    case ExprKind::kItem: {
      Value obj_tmp;
      const Value* obj = EvalRef(*e.children[0], scope, obj_tmp);
      if (obj != &obj_tmp && !e.children[1]->runs_no_call) {
        obj_tmp = *obj;
        obj = &obj_tmp;
      }
      Value key_tmp;
      const Value* key = EvalRef(*e.children[1], scope, key_tmp);
      offset_ = e.offset;
      if (obj != &obj_tmp) {
        if (obj->is_dict()) {
          if (const Value* v = obj->as_dict().Find(*key)) return v;
        } else if (obj->is_list() && (key->is_int() || key->is_bool())) {
          const auto& items = obj->as_list().items;
          int64_t i = AsInt(*key);
          if (i < 0) i += static_cast<int64_t>(items.size());
          if (i >= 0 && i < static_cast<int64_t>(items.size())) return &items[i];
        }
      }
      tmp = GetItem(*obj, *key);
      return &tmp;
    }
    default:
      tmp = Eval(e, scope);
      return &tmp;
  }
}

Value Renderer::EvalFilter(const Expr& e, Scope& scope, const Value* chain_input) {
  Value input_tmp;
  const Value* input = &input_tmp;
  if (e.children[0]) {
    if (e.children[0]->kind == ExprKind::kFilter) {
      input_tmp = EvalFilter(*e.children[0], scope, chain_input);
    } else {
      input = EvalRef(*e.children[0], scope, input_tmp);
    }
  } else if (chain_input != nullptr) {
    input = chain_input;
  }
  if (e.counts_length) {
    offset_ = e.offset;
    return Value::Int(PyLen(*input));
  }
  if (input != &input_tmp && !e.args->runs_no_call) {
    input_tmp = *input;
    input = &input_tmp;
  }
  CallArgs args;
  EvalArgs(*e.args, scope, args);
  offset_ = e.offset;
  if (e.filter == nullptr) Throw("No filter named '" + e.name + "' found.");
  return e.filter->fn(*this, *input, args);
}

Value Renderer::EvalCall(const Expr& e, Scope& scope) {
  const Expr& callee_expr = *e.children[0];
  if (callee_expr.kind == ExprKind::kAttr) {
    // obj.method(...) without building a bound method first. `self` is read in place unless
    // the arguments run a call or the method modifies its object (either may change the
    // container `self` lives in).
    // The method was found by name once, when the template was compiled (Expr::methods).
    Value self_tmp;
    const Value* self_ref = EvalRef(*callee_expr.children[0], scope, self_tmp);
    const Method* method = MethodOf(callee_expr.methods, *self_ref);
    if (self_ref != &self_tmp && (!e.args->runs_no_call || (method != nullptr && IsMutating(*method)))) {
      self_tmp = *self_ref;
      self_ref = &self_tmp;
    }
    const Value& self = *self_ref;
    if (method != nullptr) {
      CallArgs args;
      EvalArgs(*e.args, scope, args);
      offset_ = e.offset;
      if (program_.options.sandboxed && IsMutating(*method)) {
        Throw("access to attribute '" + callee_expr.name + "' of '" + std::string(PyTypeName(self)) +
              "' object is unsafe.");
      }
      return CallMethod(*this, *method, self, args);
    }
    offset_ = callee_expr.offset;
    Value callee = GetAttr(self, callee_expr.name);
    CallArgs args;
    EvalArgs(*e.args, scope, args);
    offset_ = e.offset;
    return CallValue(callee, args);
  }
  Value callee = Eval(callee_expr, scope);
  CallArgs args;
  EvalArgs(*e.args, scope, args);
  offset_ = e.offset;
  return CallValue(callee, args);
}

Value Renderer::Eval(const Expr& e, Scope& scope) {
  switch (e.kind) {
    case ExprKind::kConst: return e.value;
    case ExprKind::kName: return Lookup(e.slot, scope);
    case ExprKind::kAttr:
    case ExprKind::kItem: {
      Value tmp;
      const Value* v = EvalRef(e, scope, tmp);
      if (v == &tmp) return tmp;
      return *v;
    }
    case ExprKind::kSlice: {
      Value obj = Eval(*e.children[0], scope);
      Value bounds[3];
      for (int i = 0; i < 3; ++i) {
        if (e.children[i + 1]) bounds[i] = Eval(*e.children[i + 1], scope);
      }
      offset_ = e.offset;
      if (obj.is_undefined()) ThrowUndefined(obj);
      int64_t step = 1;
      if (!bounds[2].is_undefined() && !bounds[2].is_none()) {
        if (!bounds[2].is_int()) Throw("slice indices must be integers or None or have an __index__ method");
        step = bounds[2].as_int();
        if (step == 0) Throw("slice step cannot be zero");
      }
      std::vector<size_t> offs;
      int64_t n;
      if (obj.is_string()) {
        offs = CodePointOffsets(obj.as_string());
        n = static_cast<int64_t>(offs.size()) - 1;
      } else if (obj.is_list()) {
        n = static_cast<int64_t>(obj.as_list().items.size());
      } else {
        Throw("'" + std::string(PyTypeName(obj)) + "' object is not subscriptable");
      }
      auto bound = [&](const Value& v, int64_t dflt) -> int64_t {
        if (v.is_undefined() || v.is_none()) return dflt;
        if (!v.is_int() && !v.is_bool()) Throw("slice indices must be integers or None or have an __index__ method");
        int64_t i = AsInt(v);
        if (i < 0) {
          i += n;
          if (i < 0) i = step < 0 ? -1 : 0;
        } else if (i >= n) {
          i = step < 0 ? n - 1 : n;
        }
        return i;
      };
      const int64_t start = bound(bounds[0], step < 0 ? n - 1 : 0);
      const int64_t stop = bound(bounds[1], step < 0 ? -1 : n);
      // Calls `pick` with each index of the slice, in order (no list of the indices is built:
      // messages[::-1] in every Qwen3 render). Indices stay within [-1, n], so i + step only
      // overflows when the next index would be out of range anyway: stop there.
      auto for_each_index = [&](auto&& pick) {
        for (int64_t i = start; step > 0 ? i < stop : i > stop;) {
          pick(i);
          if (__builtin_add_overflow(i, step, &i)) break;
        }
      };
      if (obj.is_string()) {
        const std::string& s = obj.as_string();
        std::string out;
        for_each_index([&](int64_t i) { out.append(s, offs[i], offs[i + 1] - offs[i]); });
        return obj.is_markup() ? Value::Markup(std::move(out)) : Value::String(std::move(out));
      }
      const std::vector<Value>& source = obj.as_list().items;
      const uint64_t span = static_cast<uint64_t>(step > 0 ? std::max<int64_t>(stop - start, 0)
                                                         : std::max<int64_t>(start - stop, 0));
      const uint64_t stride = step > 0 ? static_cast<uint64_t>(step) : 0 - static_cast<uint64_t>(step);
      std::vector<Value> items;
      items.reserve(span == 0 ? 0 : (span - 1) / stride + 1);
      for_each_index([&](int64_t i) { items.push_back(source[i]); });
      Value sliced = Value::FromList(std::move(items), obj.as_list().is_tuple);
      if (obj.as_list().view == List::View::kRange) {
        // A slice of a range is a range: r[i:j:k] is range(r[i], r[j], step * k).
        const List::RangeBounds& r = obj.as_list().range;
        sliced.as_list().view = List::View::kRange;
        auto bound = [](__int128 v) {
          if (v > INT64_MAX || v < INT64_MIN) ThrowIntegerOverflow("a slice of a range");
          return static_cast<int64_t>(v);
        };
        sliced.as_list().range = {bound(static_cast<__int128>(r.start) + static_cast<__int128>(start) * r.step),
                                  bound(static_cast<__int128>(r.start) + static_cast<__int128>(stop) * r.step),
                                  bound(static_cast<__int128>(r.step) * step)};
      }
      return sliced;
    }
    case ExprKind::kNeg:
    case ExprKind::kPos: {
      Value v = Eval(*e.children[0], scope);
      offset_ = e.offset;
      if (v.is_undefined()) ThrowUndefined(v);
      if (e.kind == ExprKind::kPos && v.is_number()) return v.is_bool() ? Value::Int(v.as_bool()) : v;
      if (v.is_int() || v.is_bool()) return Value::Int(CheckedSub(0, AsInt(v)));
      if (v.is_float()) return Value::Float(-v.as_float());
      Throw("bad operand type for unary " + std::string(e.kind == ExprKind::kNeg ? "-" : "+") + ": '" +
            std::string(PyTypeName(v)) + "'");
    }
    case ExprKind::kNot: return Value::Bool(!EvalBool(*e.children[0], scope));
    case ExprKind::kBinary: {
      if (e.bin_op == BinOp::kAdd) return EvalAddChain(e, scope, false);
      Value a = Eval(*e.children[0], scope);
      Value b = Eval(*e.children[1], scope);
      offset_ = e.offset;
      return BinaryOp(e.bin_op, a, b);
    }
    case ExprKind::kAnd: {
      Value tmp;
      const Value* a = EvalRef(*e.children[0], scope, tmp);
      if (!a->Truthy()) return a == &tmp ? std::move(tmp) : *a;
      return Eval(*e.children[1], scope);
    }
    case ExprKind::kOr: {
      Value tmp;
      const Value* a = EvalRef(*e.children[0], scope, tmp);
      if (a->Truthy()) return a == &tmp ? std::move(tmp) : *a;
      return Eval(*e.children[1], scope);
    }
    case ExprKind::kCompare: return EvalCompare(e, scope);
    case ExprKind::kConcat: {
      // markup_join under a literal {% autoescape true %}. Under {% autoescape variable %}
      // Jinja2 picks markup_join only when eval_ctx.volatile is set while rendering, which
      // it never is: str_join, as here.
      if (e.escape == EscapeMode::kOn) {
        std::vector<Value> parts;
        for (const auto& child : e.children) parts.push_back(Eval(*child, scope));
        return MarkupJoin(parts);
      }
      std::string out;
      for (const auto& child : e.children) {
        AppendPyStr(Eval(*child, scope), out);
        CheckValueBytes(out.size());
      }
      return Value::String(std::move(out));
    }
    case ExprKind::kCond: {
      if (EvalBool(*e.children[0], scope)) return Eval(*e.children[1], scope);
      if (e.children[2]) return Eval(*e.children[2], scope);
      return Value::UndefinedWith("the inline if-expression on line " +
                                  std::to_string(PositionOf(program_.source, e.offset).line) +
                                  " evaluated to false and no else section was defined.");
    }
    case ExprKind::kFilter: return EvalFilter(e, scope, nullptr);
    case ExprKind::kTest: {
      Value input_tmp;
      const Value* input = EvalRef(*e.children[0], scope, input_tmp);
      if (input != &input_tmp && !e.args->runs_no_call) {
        input_tmp = *input;
        input = &input_tmp;
      }
      CallArgs args;
      EvalArgs(*e.args, scope, args);
      offset_ = e.offset;
      if (e.test == nullptr) Throw("No test named '" + e.name + "' found.");
      const bool result = e.test->fn(*this, *input, args);
      return Value::Bool(result != e.negated);
    }
    case ExprKind::kCall: return EvalCall(e, scope);
    case ExprKind::kList:
    case ExprKind::kTuple: {
      std::vector<Value> items;
      items.reserve(e.children.size());
      for (const auto& child : e.children) items.push_back(Eval(*child, scope));
      return Value::FromList(std::move(items), e.kind == ExprKind::kTuple);
    }
    case ExprKind::kDict: {
      Value dict = Value::MakeDict();
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        Value key = Eval(*e.children[i], scope);
        if (key.is_list() && !key.as_list().is_tuple) {
          offset_ = e.children[i]->offset;
          Throw("unhashable type: 'list'");
        }
        dict.as_dict().Set(std::move(key), Eval(*e.children[i + 1], scope));
      }
      return dict;
    }
  }
  return Value();
}

}  // namespace tunepack::jinja
