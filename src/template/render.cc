// The tree walker. Scoping follows Jinja2's generated code: a for loop body gets a fresh
// scope each iteration (so `set` inside a loop does not leak out, hence namespace()), macros
// get their own scope, and if/with/filter blocks write to the scope they are in (with gets
// its own).
#include "template/render.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "template/parser.h"
#include "template/pystr.h"
#include "tunepack/core/html_escape.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

// LoopObject: the `loop` variable of a for loop (jinja2.runtime.LoopContext). It owns the
// loop's items, so a `loop` kept past its loop (in a namespace) still reads them.
class LoopObject : public Object {
 public:
  // Recurse: renders the loop again over other items, one level deeper (loop(children)).
  using Recurse = std::function<std::string(const Value& iterable, int depth)>;

  LoopObject(std::vector<Value> items, int depth, Recurse recurse)
      : items_(std::move(items)), depth_(depth), recurse_(std::move(recurse)) {}
  std::string_view TypeName() const override { return "LoopContext"; }
  const std::vector<Value>& items() const { return items_; }
  void SetIndex(size_t index0) { index0_ = index0; }
  // Called when the loop statement ends: its scope is gone, so loop(...) cannot run again.
  void Finish() { recurse_ = nullptr; }

  bool IsCallable() const override { return true; }
  Value Call(Renderer&, CallArgs& args) override {
    if (depth_ == 0) Throw("The loop must have the 'recursive' marker to be called recursively.");
    if (args.pos.size() + args.kw.size() != 1 || args.pos.size() != 1) {
      Throw("LoopContext.__call__() takes 2 positional arguments but " +
            std::to_string(args.pos.size() + args.kw.size() + 1) + " were given");
    }
    if (!recurse_) Throw("a recursive loop cannot be called after it has ended", StatusCode::kUnimplemented);
    return Value::String(recurse_(args.pos[0], depth_ + 1));
  }
  void AppendStr(std::string& out) const override {
    out += "<LoopContext " + std::to_string(index0_ + 1) + "/" + std::to_string(items_.size()) + ">";
  }

  Value GetAttr(std::string_view name) override {
    const int64_t n = static_cast<int64_t>(items_.size());
    const int64_t i = static_cast<int64_t>(index0_);
    if (name == "index") return Value::Int(i + 1);
    if (name == "index0") return Value::Int(i);
    if (name == "first") return Value::Bool(i == 0);
    if (name == "last") return Value::Bool(i == n - 1);
    if (name == "length") return Value::Int(n);
    if (name == "revindex") return Value::Int(n - i);
    if (name == "revindex0") return Value::Int(n - i - 1);
    if (name == "depth") return Value::Int(depth_ == 0 ? 1 : depth_);
    if (name == "depth0") return Value::Int(depth_ == 0 ? 0 : depth_ - 1);
    if (name == "previtem") {
      if (i == 0) return Value::UndefinedWith("there is no previous item");
      return items_[index0_ - 1];
    }
    if (name == "nextitem") {
      if (i + 1 >= n) return Value::UndefinedWith("there is no next item");
      return items_[index0_ + 1];
    }
    if (name == "cycle" || name == "changed") {
      return Value::FromObject(std::make_shared<LoopMethod>(this, std::string(name)));
    }
    return Value();
  }

  // LoopMethod: loop.cycle(...) and loop.changed(...).
  class LoopMethod : public Object {
   public:
    LoopMethod(LoopObject* loop, std::string name) : loop_(loop), name_(std::move(name)) {}
    std::string_view TypeName() const override { return "method"; }
    bool IsCallable() const override { return true; }
    Value Call(Renderer&, CallArgs& args) override {
      if (name_ == "cycle") {
        if (args.pos.empty()) Throw("no items for cycling given");
        return args.pos[loop_->index0_ % args.pos.size()];
      }
      Value current = Value::FromList(args.pos);
      if (loop_->has_last_changed_ && PyEquals(current, loop_->last_changed_)) return Value::Bool(false);
      loop_->last_changed_ = current;
      loop_->has_last_changed_ = true;
      return Value::Bool(true);
    }

   private:
    LoopObject* loop_;
    std::string name_;
  };

 private:
  std::vector<Value> items_;
  size_t index0_ = 0;
  int depth_;  ///< 0 for a loop that is not recursive; else 1 at the top, 2 in loop(...)...
  Recurse recurse_;
  Value last_changed_;
  bool has_last_changed_ = false;
};

// Macro: a {% macro %} or a {% call %} block's caller. It keeps the variables visible
// where it was defined (a snapshot of the scope chain).
class Macro : public Object, public std::enable_shared_from_this<Macro> {
 public:
  Macro(const MacroDef* def, std::vector<std::pair<int, Value>> closure, int self_slot, Renderer* home)
      : def_(def), closure_(std::move(closure)), self_slot_(self_slot), home_(home),
        home_program_(&home->program()) {}
  std::string_view TypeName() const override { return "Macro"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer& renderer, CallArgs& args) override {
    // The macro sees itself by name, so it can recurse (Jinja2 resolves it at call time).
    std::pair<int, Value> self{self_slot_, self_slot_ >= 0 ? Value::FromObject(shared_from_this()) : Value()};
    // Its slots belong to the template that defined it: a macro imported from (or passed
    // as caller to) another template runs in that template's renderer, which the root
    // renderer keeps alive for the whole render.
    // Under autoescape (where it is called) the macro's output is Markup, as in Jinja2.
    Value result = &renderer.program() == home_program_ ? renderer.CallMacro(*def_, closure_, args, self)
                                                        : home_->CallForeignMacro(renderer, *def_, closure_, args, self);
    return renderer.autoescape() ? result.AsMarkup() : result;
  }
  void AppendStr(std::string& out) const override { out += "<Macro '" + def_->name + "'>"; }
  Value GetAttr(std::string_view name) override {
    if (name == "name") return Value::String(def_->name);
    return Value();
  }

 private:
  const MacroDef* def_;
  std::vector<std::pair<int, Value>> closure_;
  int self_slot_;
  Renderer* home_;
  const internal::Program* home_program_;
};

// TemplateModule: what {% import %} binds, the exported top-level names of a template.
class TemplateModule : public Object {
 public:
  TemplateModule(std::string name, Value exports) : name_(std::move(name)), exports_(std::move(exports)) {}
  std::string_view TypeName() const override { return "TemplateModule"; }
  Value GetAttr(std::string_view name) override {
    const Value* v = exports_.as_dict().Find(name);
    return v != nullptr ? *v : Value();
  }
  void AppendStr(std::string& out) const override { out += "<TemplateModule '" + name_ + "'>"; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Value exports_;
};

// SuperFunction: super() inside a {% block %}: the next block of the chain, rendered.
class SuperFunction : public Object {
 public:
  SuperFunction(Renderer* owner, std::string name, size_t index) : owner_(owner), name_(std::move(name)), index_(index) {}
  std::string_view TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer&, CallArgs&) override {
    std::string text;
    owner_->RenderBlock(&text, name_, index_);
    return owner_->autoescape() ? Value::Markup(std::move(text)) : Value::String(std::move(text));
  }

 private:
  Renderer* owner_;
  std::string name_;
  size_t index_;
};

// SelfReference: `self` in a template (Jinja2's TemplateReference): self.name() renders
// the block `name` again, the most derived override first.
class SelfReference : public Object {
 public:
  explicit SelfReference(Renderer* owner) : owner_(owner) {}
  std::string_view TypeName() const override { return "TemplateReference"; }
  Value GetAttr(std::string_view name) override;
  void AppendStr(std::string& out) const override { out += "<TemplateReference '" + owner_->program().name + "'>"; }

 private:
  // BlockReference: self.name, called to render the block.
  class BlockReference : public Object {
   public:
    BlockReference(Renderer* owner, std::string name) : owner_(owner), name_(std::move(name)) {}
    std::string_view TypeName() const override { return "BlockReference"; }
    bool IsCallable() const override { return true; }
    Value Call(Renderer&, CallArgs&) override {
      std::string text;
      owner_->RenderBlock(&text, name_, 0);
      return owner_->autoescape() ? Value::Markup(std::move(text)) : Value::String(std::move(text));
    }

   private:
    Renderer* owner_;
    std::string name_;
  };

  Renderer* owner_;
};

Value SelfReference::GetAttr(std::string_view name) {
  if (!owner_->HasBlock(std::string(name))) return Value();
  return Value::FromObject(std::make_shared<BlockReference>(owner_, std::string(name)));
}

// BoundMethod: `"x".upper` evaluated without calling it right away.
class BoundMethod : public Object {
 public:
  BoundMethod(Value self, std::string name) : self_(std::move(self)), name_(std::move(name)) {}
  std::string_view TypeName() const override { return "builtin_function_or_method"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer& renderer, CallArgs& args) override {
    Value result;
    CallMethod(renderer, self_, name_, args, &result);
    return result;
  }

 private:
  Value self_;
  std::string name_;
};

// TypeObject: type(x), as x.__class__ gives it; only its __name__ is readable.
class TypeObject : public Object {
 public:
  explicit TypeObject(std::string name) : name_(std::move(name)) {}
  std::string_view TypeName() const override { return "type"; }
  Value GetAttr(std::string_view name) override {
    if (name == "__name__") return Value::String(name_);
    return Value();
  }
  void AppendStr(std::string& out) const override {
    out += (name_ == "Markup" ? "<class 'markupsafe.Markup'>" : "<class '" + name_ + "'>");
  }

 private:
  std::string name_;
};

constexpr uint64_t kMacroCallOperations = 10;

[[noreturn]] void ThrowOverflow(int64_t a, std::string_view op, int64_t b) {
  ThrowIntegerOverflow(std::to_string(a) + " " + std::string(op) + " " + std::to_string(b));
}
int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) ThrowOverflow(a, "+", b);
  return r;
}
int64_t CheckedSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) ThrowOverflow(a, "-", b);
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) ThrowOverflow(a, "*", b);
  return r;
}

int64_t AsInt(const Value& v) { return v.is_bool() ? (v.as_bool() ? 1 : 0) : v.as_int(); }

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

// Returns true when evaluating `e` calls nothing: no method or macro runs, so no list or dict
// changes (filters and tests never modify their input), and a pointer into a container taken
// before `e` is evaluated is still valid after it.
bool RunsNoCall(const Expr& e);

bool ArgsRunNoCall(const ArgList& args) {
  for (const auto& a : args.pos) {
    if (!RunsNoCall(*a)) return false;
  }
  for (const auto& [k, v] : args.kw) {
    if (!RunsNoCall(*v)) return false;
  }
  return (!args.star || RunsNoCall(*args.star)) && (!args.star_star || RunsNoCall(*args.star_star));
}

bool RunsNoCall(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kConst:
    case ExprKind::kName: return true;
    case ExprKind::kCall: return false;
    default: break;
  }
  for (const auto& child : e.children) {
    if (child && !RunsNoCall(*child)) return false;
  }
  return !e.args || ArgsRunNoCall(*e.args);
}

double FloorMod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

}  // namespace

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

struct Renderer::SubRun {
  std::string out;
  Scope root;
  std::unique_ptr<Renderer> renderer;
};

Renderer::~Renderer() = default;

Renderer::Renderer(const internal::Program& program, const Value& context, std::string& out)
    : program_(program), budget_(&CurrentBudget()), out_(&out), context_(context) {
  globals_ = program.fallback_globals;
  if (context.is_dict()) {
    for (const auto& [key, value] : context.as_dict().items) {
      if (!key.is_string()) continue;
      auto it = program.slot_of.find(key.as_string());
      if (it != program.slot_of.end()) globals_[it->second] = value;
    }
  }
}

void Renderer::Run() {
  Scope root;
  RunWithRoot(root);
  root_ = nullptr;
}

namespace {

// Statements that still run after {% extends %}: they define names, they print nothing
// (Jinja2 guards every output after `extends` with `if parent_template is None`).
bool IsDeclaration(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kSet: case StmtKind::kSetBlock: case StmtKind::kMacro: case StmtKind::kImport:
    case StmtKind::kFromImport:
      return true;
    default:
      return false;
  }
}

}  // namespace

void Renderer::RunWithRoot(Scope& root) {
  root_ = &root;
  for (const auto& [name, stmt] : program_.blocks) block_chains_[name].emplace_back(this, stmt);
  if (auto slot = program_.slot_of.find("self"); slot != program_.slot_of.end()) {
    SetVar(root, slot->second, Value::FromObject(std::make_shared<SelfReference>(this)));
  }
  for (const auto& stmt : program_.body) {
    if (extends_ != nullptr && !IsDeclaration(*stmt)) continue;
    Exec(*stmt, root);
  }
  if (extends_ != nullptr) RenderParent(*extends_, root);
}

template <typename Fn>
void Renderer::RunIn(Renderer& sub, Fn&& fn) {
  if (&sub == this) {
    fn();
    return;
  }
  try {
    fn();
  } catch (const RenderError& e) {
    // Positions are offsets into one template's source: say which file the error is in,
    // and let the caller's position (the include, import or call) lead the message.
    const size_t at = e.offset != std::string::npos ? e.offset : sub.offset();
    throw RenderError{internal::FormatPosition(sub.program_, at) + ": " + e.message, e.code, std::string::npos};
  }
}

Renderer::SubRun& Renderer::NewSubRun(const internal::Program& program, const Value& context, std::string* out) {
  // Each sub-renderer lives until the render ends (macros may outlive the statement that
  // made them), so an include inside a long loop is bounded too.
  constexpr size_t kMaxSubRuns = 100'000;
  CheckStack();
  if (depth_ + 1 > program_.options.max_call_depth) {
    Throw("maximum call depth of " + std::to_string(program_.options.max_call_depth) + " exceeded",
          StatusCode::kResourceExhausted);
  }
  if (runs_->size() >= kMaxSubRuns) {
    Throw("more than " + std::to_string(kMaxSubRuns) + " templates included or imported in one render",
          StatusCode::kResourceExhausted);
  }
  auto run = std::make_unique<SubRun>();
  run->renderer = std::make_unique<Renderer>(program, context, out != nullptr ? *out : run->out);
  Renderer& r = *run->renderer;
  r.library_ = library_;
  r.runs_ = runs_;
  r.depth_ = depth_ + 1;
  r.iterations_ = iterations_;
  runs_->push_back(std::move(run));
  return *runs_->back();
}

Value Renderer::ContextDict(Scope& scope) {
  Value dict = Value::MakeDict();
  if (context_.is_dict()) dict.as_dict().items = context_.as_dict().items;
  std::vector<Scope*> chain;
  for (Scope* s = &scope; s != nullptr; s = s->parent) chain.push_back(s);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& [slot, value] : (*it)->vars) {
      // Jinja2 passes an include the enclosing loop's variables but not `loop` itself.
      const std::string& name = program_.slot_names[slot];
      if (name != "loop") dict.as_dict().Set(Value::String(name), value);
    }
  }
  return dict;
}

const internal::Program* Renderer::ResolveTemplate(const Stmt& s, Scope& scope) {
  offset_ = s.offset;
  if (library_ == nullptr) {
    Throw("templates cannot be loaded: include, import and extends need a template folder",
          StatusCode::kUnimplemented);
  }
  Value name = Eval(*s.expr, scope);
  offset_ = s.offset;
  std::vector<Value> names = name.is_list() ? name.as_list().items : std::vector<Value>{name};
  std::string tried;
  for (const Value& n : names) {
    if (!n.is_string()) Throw("a template name must be a string, not " + std::string(PyTypeName(n)));
    if (const internal::Program* program = library_->Find(n.as_string())) return program;
    if (!tried.empty()) tried += ", ";
    tried += "'" + n.as_string() + "'";
  }
  if (s.ignore_missing) return nullptr;
  // Templates are loaded when the root template is parsed, by the names written as string
  // literals; a name built at render time is found only if one of those named it too.
  Throw("template " + tried + " not found in the template folders", StatusCode::kNotFound);
}

void Renderer::ExecInclude(const Stmt& s, Scope& scope) {
  const internal::Program* target = ResolveTemplate(s, scope);
  if (target == nullptr) return;
  Value context = s.with_context ? ContextDict(scope) : Value::MakeDict();
  SubRun& run = NewSubRun(*target, context, out_);
  Renderer& sub = *run.renderer;
  RunIn(sub, [&] { sub.RunWithRoot(run.root); });
  iterations_ = sub.iterations_;
  generation_spans_.insert(generation_spans_.end(), sub.generation_spans_.begin(), sub.generation_spans_.end());
}

Value Renderer::ImportModule(const Stmt& s, Scope& scope) {
  const internal::Program* target = ResolveTemplate(s, scope);
  Value context = s.with_context ? ContextDict(scope) : Value::MakeDict();
  SubRun& run = NewSubRun(*target, context, nullptr);
  Renderer& sub = *run.renderer;
  RunIn(sub, [&] { sub.RunWithRoot(run.root); });
  iterations_ = sub.iterations_;
  // Jinja2 exports a module's top-level names, except those starting with an underscore.
  Value exports = Value::MakeDict();
  for (const auto& [slot, value] : run.root.vars) {
    const std::string& name = target->slot_names[slot];
    if (!name.empty() && name[0] != '_') exports.as_dict().Set(Value::String(name), value);
  }
  return Value::FromObject(std::make_shared<TemplateModule>(target->name, std::move(exports)));
}

void Renderer::RenderParent(const internal::Program& parent, Scope& root) {
  SubRun& run = NewSubRun(parent, ContextDict(root), out_);
  Renderer& sub = *run.renderer;
  sub.block_chains_ = block_chains_;  // this template's blocks override the parent's
  RunIn(sub, [&] { sub.RunWithRoot(run.root); });
  iterations_ = sub.iterations_;
  generation_spans_.insert(generation_spans_.end(), sub.generation_spans_.begin(), sub.generation_spans_.end());
}

std::vector<std::pair<std::string, Value>> Renderer::LocalsByName(Scope& scope) {
  std::vector<std::pair<std::string, Value>> locals;
  for (Scope* s = &scope; s != nullptr && s != root_; s = s->parent) {
    for (const auto& [slot, value] : s->vars) locals.emplace_back(program_.slot_names[slot], value);
  }
  return locals;
}

void Renderer::RenderBlock(std::string* out, const std::string& name, size_t index,
                           const std::vector<std::pair<std::string, Value>>* locals) {
  auto chain = block_chains_.find(name);
  if (chain == block_chains_.end() || index >= chain->second.size()) {
    Throw("there is no parent block called '" + name + "'.");
  }
  // Not a structured binding: clang 14 (the fuzz build) cannot capture one in the lambda below.
  CheckStack();
  Renderer* owner = chain->second[index].first;
  const Stmt* stmt = chain->second[index].second;
  Scope scope{owner->root_, {}};
  if (locals != nullptr) {
    // Outermost first, so an inner variable of the same name wins.
    for (auto it = locals->rbegin(); it != locals->rend(); ++it) {
      if (auto slot = owner->program_.slot_of.find(it->first); slot != owner->program_.slot_of.end()) {
        owner->SetVar(scope, slot->second, Value(it->second));
      }
    }
  }
  if (auto slot = owner->program_.slot_of.find("super"); slot != owner->program_.slot_of.end()) {
    owner->SetVar(scope, slot->second, Value::FromObject(std::make_shared<SuperFunction>(this, name, index + 1)));
  }
  // `self` in an override sees every block of the render, as super() does.
  if (auto slot = owner->program_.slot_of.find("self"); slot != owner->program_.slot_of.end()) {
    owner->SetVar(scope, slot->second, Value::FromObject(std::make_shared<SelfReference>(this)));
  }
  std::string* saved = owner->out_;
  owner->out_ = out;
  try {
    RunIn(*owner, [&] { owner->ExecBody(stmt->body, scope); });
  } catch (...) {
    owner->out_ = saved;
    throw;
  }
  owner->out_ = saved;
}

Value Renderer::CallForeignMacro(Renderer& caller, const MacroDef& macro,
                                 const std::vector<std::pair<int, Value>>& closure, CallArgs& args,
                                 const std::pair<int, Value>& self) {
  Value result;
  caller.RunIn(*this, [&] { result = CallMacro(macro, closure, args, self); });
  return result;
}

void Renderer::Write(std::string_view text) {
  out_->append(text);
  if (out_->size() > program_.options.max_output_bytes) {
    Throw("output larger than " + std::to_string(program_.options.max_output_bytes) + " bytes",
          StatusCode::kResourceExhausted);
  }
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

void Renderer::WriteEscaped(const Value& v) {
  if (v.is_markup()) {
    Write(v.as_string());
    return;
  }
  std::string text;
  AppendPyStr(v, text);
  Write(EscapeHtml(text));
}

void Renderer::WriteValue(const Value& v) {
  if (v.is_string()) {
    Write(v.as_string());
    return;
  }
  std::string text;
  AppendPyStr(v, text);
  Write(text);
}

void Renderer::CountIterations(uint64_t n) {
  iterations_ += n;
  if (iterations_ > program_.options.max_loop_iterations) {
    Throw("more than " + std::to_string(program_.options.max_loop_iterations) + " loop iterations",
          StatusCode::kResourceExhausted);
  }
}

const Value* Renderer::LookupRef(int slot, Scope& scope) {
  for (Scope* s = &scope; s != nullptr; s = s->parent) {
    for (const auto& [var, value] : s->vars) {
      if (var == slot) return &value;
    }
  }
  return &globals_[slot];
}

Value Renderer::Lookup(int slot, Scope& scope) { return *LookupRef(slot, scope); }

void Renderer::SetVar(Scope& scope, int slot, Value&& value) {
  for (auto& [var, v] : scope.vars) {
    if (var == slot) {
      v = std::move(value);
      return;
    }
  }
  scope.vars.emplace_back(slot, std::move(value));
}

void Renderer::Assign(const Expr& target, Value&& value, Scope& scope) {
  if (target.kind == ExprKind::kName) {
    SetVar(scope, target.slot, std::move(value));
    return;
  }
  if (target.kind == ExprKind::kAttr) {
    offset_ = target.offset;
    Value ns = Lookup(target.children[0]->slot, scope);
    if (!ns.is_object() || !ns.as_object().SetAttr(target.name, std::move(value))) {
      Throw("cannot assign attribute on non-namespace object");
    }
    return;
  }
  // Tuple unpacking.
  offset_ = target.offset;
  std::vector<Value> items = Iterate(value);
  const size_t want = target.children.size();
  if (items.size() < want) {
    Throw("not enough values to unpack (expected " + std::to_string(want) + ", got " + std::to_string(items.size()) + ")");
  }
  if (items.size() > want) Throw("too many values to unpack (expected " + std::to_string(want) + ")");
  for (size_t i = 0; i < want; ++i) Assign(*target.children[i], std::move(items[i]), scope);
}

std::string Renderer::Capture(const Body& body, Scope& scope) {
  std::string buffer;
  std::string* saved = out_;
  out_ = &buffer;
  try {
    ExecBody(body, scope);
  } catch (...) {
    out_ = saved;
    throw;
  }
  out_ = saved;
  return buffer;
}

Renderer::Flow Renderer::ExecBody(const Body& body, Scope& scope) {
  for (const auto& stmt : body) {
    Flow flow = Exec(*stmt, scope);
    if (flow != Flow::kNormal) return flow;
  }
  return Flow::kNormal;
}

Renderer::Flow Renderer::Exec(const Stmt& s, Scope& scope) {
  Charge(1);
  switch (s.kind) {
    case StmtKind::kText: Write(s.text); return Flow::kNormal;
    case StmtKind::kOutput: {
      const Expr& e = *s.expr;
      if (Escapes(s.escape)) {
        Value tmp;
        WriteEscaped(*EvalRef(e, scope, tmp));
        return Flow::kNormal;
      }
      if (e.kind == ExprKind::kBinary && e.bin_op == BinOp::kAdd && e.children[0]->kind == ExprKind::kBinary &&
          e.children[0]->bin_op == BinOp::kAdd) {
        EvalAddChain(e, scope, true);
        return Flow::kNormal;
      }
      Value tmp;
      WriteValue(*EvalRef(e, scope, tmp));
      return Flow::kNormal;
    }
    case StmtKind::kIf:
      for (const auto& [cond, body] : s.branches) {
        if (cond == nullptr || EvalBool(*cond, scope)) return ExecBody(body, scope);
      }
      return Flow::kNormal;
    case StmtKind::kFor: ExecFor(s, scope); return Flow::kNormal;
    case StmtKind::kSet: Assign(*s.target, Eval(*s.expr, scope), scope); return Flow::kNormal;
    case StmtKind::kSetBlock: {
      Value text = Value::String(Capture(s.body, scope));
      if (s.filter) {
        if (Escapes(s.escape)) text = text.AsMarkup();
        text = EvalFilter(*s.filter, scope, &text);
      }
      Assign(*s.target, autoescape_ ? text.AsMarkup() : std::move(text), scope);
      return Flow::kNormal;
    }
    case StmtKind::kFilterBlock: {
      Value text = Value::String(Capture(s.body, scope));
      if (Escapes(s.escape)) text = text.AsMarkup();
      WriteValue(EvalFilter(*s.filter, scope, &text));
      return Flow::kNormal;
    }
    case StmtKind::kAutoescape: {
      // A scope of its own; the setting is restored when it ends, as Jinja2's eval context is.
      const bool saved = autoescape_;
      autoescape_ = Eval(*s.expr, scope).Truthy();
      struct Restore {
        bool& flag;
        bool value;
        ~Restore() { flag = value; }
      } restore{autoescape_, saved};
      Scope inner{&scope, {}};
      return ExecBody(s.body, inner);
    }
    case StmtKind::kMacro: {
      std::vector<std::pair<int, Value>> closure;
      // Variables of enclosing loops and macros are snapshotted; top-level ones are read
      // live from the root scope when the macro runs, as Jinja2 resolves them at call time.
      for (Scope* sc = &scope; sc != nullptr && sc != root_; sc = sc->parent) {
        for (const auto& var : sc->vars) {
          bool shadowed = false;
          for (const auto& seen : closure) shadowed |= seen.first == var.first;
          if (!shadowed) closure.push_back(var);
        }
      }
      auto macro = std::make_shared<Macro>(s.macro.get(), std::move(closure), s.target->slot, this);
      SetVar(scope, s.target->slot, Value::FromObject(macro));
      return Flow::kNormal;
    }
    case StmtKind::kCallBlock: {
      std::vector<std::pair<int, Value>> closure;
      for (Scope* sc = &scope; sc != nullptr && sc != root_; sc = sc->parent) {
        for (const auto& var : sc->vars) closure.emplace_back(var.first, var.second);
      }
      Value caller = Value::FromObject(std::make_shared<Macro>(s.macro.get(), std::move(closure), -1, this));
      const Expr& call = *s.expr;
      offset_ = call.offset;
      Value callee = Eval(*call.children[0], scope);
      CallArgs args;
      EvalArgs(*call.args, scope, args);
      args.kw.emplace_back("caller", caller);
      WriteValue(CallValue(callee, args));
      return Flow::kNormal;
    }
    case StmtKind::kWith: {
      Scope inner{&scope, {}};
      std::vector<Value> values;
      for (const auto& [target, value] : s.assignments) values.push_back(Eval(*value, scope));
      for (size_t i = 0; i < values.size(); ++i) Assign(*s.assignments[i].first, std::move(values[i]), inner);
      return ExecBody(s.body, inner);
    }
    case StmtKind::kBreak: return Flow::kBreak;
    case StmtKind::kContinue: return Flow::kContinue;
    case StmtKind::kGeneration: {
      const size_t start = out_->size();
      Flow flow = ExecBody(s.body, scope);
      generation_spans_.emplace_back(start, out_->size());
      return flow;
    }
    case StmtKind::kBlock: {
      auto chain = block_chains_.find(s.text);
      if (s.required && (chain == block_chains_.end() || chain->second.size() <= 1)) {
        offset_ = s.offset;
        Throw("Required block '" + s.text + "' not found");
      }
      // Without extends or super() a block renders in place: a scoped block in the current
      // scope, any other with the template's top-level variables only (as Jinja2 renders a
      // block with the context, not the loop or macro around it).
      const bool own = chain == block_chains_.end() || chain->second.empty() ||
                       (chain->second[0].first == this && chain->second[0].second == &s);
      if (own && program_.slot_of.count("super") == 0) {
        Scope inner{s.scoped ? &scope : root_, {}};
        ExecBody(s.body, inner);
        return Flow::kNormal;
      }
      offset_ = s.offset;
      if (s.scoped) {
        const auto locals = LocalsByName(scope);
        RenderBlock(out_, s.text, 0, &locals);
      } else {
        RenderBlock(out_, s.text, 0);
      }
      return Flow::kNormal;
    }
    case StmtKind::kInclude:
      if (s.text == "extends") {
        if (extends_ == nullptr) extends_ = ResolveTemplate(s, scope);
        return Flow::kNormal;
      }
      ExecInclude(s, scope);
      return Flow::kNormal;
    case StmtKind::kImport: {
      Value module = ImportModule(s, scope);
      Assign(*s.target, std::move(module), scope);
      return Flow::kNormal;
    }
    case StmtKind::kFromImport: {
      Value module = ImportModule(s, scope);
      const std::string& template_name = static_cast<TemplateModule&>(module.as_object()).name();
      for (const auto& [name, alias] : s.imports) {
        Value value = module.as_object().GetAttr(name);
        if (value.is_undefined()) {
          value = Value::UndefinedWith("the template '" + template_name + "' does not export the requested name '" +
                                       name + "'");
        }
        SetVar(scope, program_.slot_of.at(alias), std::move(value));
      }
      return Flow::kNormal;
    }
  }
  return Flow::kNormal;
}

void Renderer::ExecFor(const Stmt& s, Scope& scope) {
  Value iterable = Eval(*s.expr, scope);
  if (!s.recursive) {
    RunLoop(s, scope, iterable, 0);
    return;
  }
  // A recursive loop body sees the scope the loop statement is in, at every level.
  RunLoop(s, scope, iterable, 1);
}

void Renderer::RunLoop(const Stmt& s, Scope& scope, const Value& iterable, int depth) {
  offset_ = s.expr->offset;
  std::vector<Value> items;
  if (iterable.is_list() && !s.condition) {
    items = iterable.as_list().items;  // a copy: the body may append to the list
  } else {
    items = Iterate(iterable);
  }
  if (s.condition) {
    std::vector<Value> kept;
    for (auto& item : items) {
      Scope probe{&scope, {}};
      Assign(*s.target, Value(item), probe);
      if (Eval(*s.condition, probe).Truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    if (!s.else_body.empty()) ExecBody(s.else_body, scope);
    return;
  }
  CountIterations(items.size());
  LoopObject::Recurse recurse;
  if (depth > 0) {
    // loop(children): the same loop over other items, its output returned as a string.
    // Calls go through CallValue, so they count toward max_call_depth and the stack limit.
    recurse = [this, &s, &scope](const Value& children, int child_depth) {
      std::string buffer;
      std::string* saved = out_;
      out_ = &buffer;
      try {
        RunLoop(s, scope, children, child_depth);
      } catch (...) {
        out_ = saved;
        throw;
      }
      out_ = saved;
      return buffer;
    };
  }
  auto loop = std::make_shared<LoopObject>(std::move(items), depth, std::move(recurse));
  struct FinishOnExit {
    LoopObject* loop;
    ~FinishOnExit() { loop->Finish(); }
  } finish{loop.get()};
  const std::vector<Value>& loop_items = loop->items();
  const Value loop_value = Value::FromObject(loop);
  static const int kNoSlot = -1;
  int loop_slot = kNoSlot;
  for (size_t i = 0; i < program_.slot_names.size(); ++i) {
    if (program_.slot_names[i] == "loop") loop_slot = static_cast<int>(i);
  }
  // Each iteration starts with an empty scope, as Jinja2's loop body does; the scope object
  // itself is reused.
  Scope body_scope{&scope, {}};
  for (size_t i = 0; i < loop_items.size(); ++i) {
    loop->SetIndex(i);
    body_scope.vars.clear();
    if (loop_slot != kNoSlot) body_scope.vars.emplace_back(loop_slot, Value(loop_value));
    Assign(*s.target, Value(loop_items[i]), body_scope);  // a copy: loop.previtem reads the items
    Flow flow = ExecBody(s.body, body_scope);
    if (flow == Flow::kBreak) break;
  }
}

void Renderer::EvalArgs(const ArgList& args, Scope& scope, CallArgs& out) {
  out.pos.reserve(args.pos.size());
  for (const auto& a : args.pos) out.pos.push_back(Eval(*a, scope));
  if (args.star) {
    for (auto& v : Iterate(Eval(*args.star, scope))) out.pos.push_back(std::move(v));
  }
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

// a + b + c + ...: chat templates build each turn this way. When every operand is a string
// the result is built in one allocation (or, for {{ a + b + c }}, appended to the output
// with no intermediate string); otherwise it folds left to right as Python does.
Value Renderer::EvalAddChain(const Expr& e, Scope& scope, bool write) {
  constexpr size_t kMaxNodes = 31;
  const Expr* nodes[kMaxNodes];
  size_t n = 0;
  const Expr* cur = &e;
  while (n < kMaxNodes && cur->kind == ExprKind::kBinary && cur->bin_op == BinOp::kAdd) {
    nodes[n++] = cur;
    cur = cur->children[0].get();
  }
  // nodes[n-1] is the innermost addition; `cur` its left operand. Operands are read in
  // place where possible; those evaluated before the last operand that runs a call are
  // copied, since the call may modify the list or dict they live in.
  const Expr* exprs[kMaxNodes + 1];
  exprs[0] = cur;
  for (size_t i = n, k = 1; i-- > 0; ++k) exprs[k] = nodes[i]->children[1].get();
  const size_t count = n + 1;
  size_t copy_before = 0;
  for (size_t k = count; k-- > 1;) {
    if (!RunsNoCall(*exprs[k])) {
      copy_before = k;
      break;
    }
  }
  // Most chains are short: their temporaries live on the stack.
  constexpr size_t kSmall = 8;
  Value small[kSmall];
  std::vector<Value> large;
  Value* tmps = small;
  if (count > kSmall) {
    large.resize(count);
    tmps = large.data();
  }
  const Value* operands[kMaxNodes + 1];
  for (size_t k = 0; k < count; ++k) {
    operands[k] = EvalRef(*exprs[k], scope, tmps[k]);
    if (k < copy_before && operands[k] != &tmps[k]) {
      tmps[k] = *operands[k];
      operands[k] = &tmps[k];
    }
  }
  bool all_strings = true;
  size_t total = 0;
  for (size_t k = 0; k < count; ++k) {
    if (!operands[k]->is_string() || operands[k]->is_markup()) {
      all_strings = false;
      break;
    }
    total += operands[k]->as_string().size();
  }
  if (all_strings) {
    if (!write) CheckValueBytes(total);
    if (write) {
      for (size_t k = 0; k < count; ++k) Write(operands[k]->as_string());
      return Value();
    }
    std::string out;
    out.reserve(total);
    for (size_t k = 0; k < count; ++k) out += operands[k]->as_string();
    return Value::String(std::move(out));
  }
  Value acc = *operands[0];
  for (size_t k = 1; k < count; ++k) {
    offset_ = nodes[n - k]->offset;
    acc = BinaryOp(BinOp::kAdd, acc, *operands[k]);
  }
  if (write) {
    WriteValue(acc);
    return Value();
  }
  return acc;
}

Value Renderer::EvalCompare(const Expr& e, Scope& scope) { return Value::Bool(EvalCompareBool(e, scope)); }

bool Renderer::EvalCompareBool(const Expr& e, Scope& scope) {
  Value left_tmp, right_tmp;
  const Value* left = EvalRef(*e.children[0], scope, left_tmp);
  for (size_t i = 0; i < e.ops.size(); ++i) {
    const Expr& right_expr = *e.children[i + 1];
    if (left != &left_tmp && !RunsNoCall(right_expr)) {
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
          e.args->pos.empty() && e.args->kw.empty() && !e.args->star && !e.args->star_star) {
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
      break;
    }
    default: break;
  }
  Value tmp;
  return EvalRef(e, scope, tmp)->Truthy();
}

const Value* Renderer::EvalRef(const Expr& e, Scope& scope, Value& tmp) {
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
      tmp = GetAttr(*obj, e.name);
      return &tmp;
    }
    case ExprKind::kItem: {
      Value obj_tmp;
      const Value* obj = EvalRef(*e.children[0], scope, obj_tmp);
      if (obj != &obj_tmp && !RunsNoCall(*e.children[1])) {
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
  if (input != &input_tmp && !ArgsRunNoCall(*e.args)) {
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
    Value self_tmp;
    const Value* self_ref = EvalRef(*callee_expr.children[0], scope, self_tmp);
    if (self_ref != &self_tmp &&
        (!ArgsRunNoCall(*e.args) || IsMutatingMethod(*self_ref, callee_expr.name))) {
      self_tmp = *self_ref;
      self_ref = &self_tmp;
    }
    const Value& self = *self_ref;
    if ((self.is_string() || self.is_list() || self.is_dict()) && HasMethod(self, callee_expr.name)) {
      CallArgs args;
      EvalArgs(*e.args, scope, args);
      offset_ = e.offset;
      if (program_.options.sandboxed && IsMutatingMethod(self, callee_expr.name)) {
        Throw("access to attribute '" + callee_expr.name + "' of '" + std::string(PyTypeName(self)) +
              "' object is unsafe.");
      }
      Value result;
      CallMethod(*this, self, callee_expr.name, args, &result);
      return result;
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
      std::vector<int64_t> picks;
      // Indices stay within [-1, n], so i + step only overflows when the next index would
      // be out of range anyway: stop there.
      for (int64_t i = start; step > 0 ? i < stop : i > stop;) {
        picks.push_back(i);
        if (__builtin_add_overflow(i, step, &i)) break;
      }
      if (obj.is_string()) {
        const std::string& s = obj.as_string();
        std::string out;
        for (int64_t i : picks) out.append(s, offs[i], offs[i + 1] - offs[i]);
        return obj.is_markup() ? Value::Markup(std::move(out)) : Value::String(std::move(out));
      }
      std::vector<Value> items;
      items.reserve(picks.size());
      for (int64_t i : picks) items.push_back(obj.as_list().items[i]);
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
      if (e.bin_op == BinOp::kAdd && e.children[0]->kind == ExprKind::kBinary &&
          e.children[0]->bin_op == BinOp::kAdd) {
        return EvalAddChain(e, scope, false);
      }
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
      if (input != &input_tmp && !ArgsRunNoCall(*e.args)) {
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
