// The global functions every Jinja2 environment has: range, dict, namespace, cycler, joiner.
#include <map>

#include "template/limits.h"
#include "template/render.h"

namespace tunepack::jinja {
namespace {

// The sandbox refuses larger ranges (jinja2.sandbox.MAX_RANGE); outside it, the loop
// iteration limit bounds what a template can allocate.
constexpr int64_t kMaxRange = 100000;

class Namespace : public Object {
 public:
  std::string_view TypeName() const override { return "Namespace"; }
  Value GetAttr(std::string_view name) override {
    const Value* v = AttrRef(name);
    return v != nullptr ? *v : Value();
  }
  const Value* AttrRef(std::string_view name) override { return attrs_.as_dict().Find(name); }
  bool SetAttr(std::string_view name, Value value) override {
    // `{% set ns.found = true %}` in a loop: replace the entry in place (as Dict::Set does)
    // without making a key string each time.
    Dict& d = attrs_.as_dict();
    for (auto& [k, v] : d.items) {
      if (k.is_string() && k.as_string() == name) {
        v = std::move(value);
        return true;
      }
    }
    d.items.emplace_back(Value::String(std::string(name)), std::move(value));
    return true;
  }
  void AppendStr(std::string& out) const override {
    out += "<Namespace ";
    AppendPyRepr(attrs_, out);
    out += ">";
  }
  Value attrs_ = Value::MakeDict();
};

class NativeFunction : public Object {
 public:
  using Fn = Value (*)(Renderer&, CallArgs&);
  NativeFunction(std::string_view name, Fn fn) : name_(name), fn_(fn) {}
  std::string_view TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer& r, CallArgs& args) override { return fn_(r, args); }
  void AppendStr(std::string& out) const override { out += "<function " + std::string(name_) + ">"; }

 private:
  std::string_view name_;
  Fn fn_;
};

class Cycler : public Object {
 public:
  explicit Cycler(std::vector<Value> items) : items_(std::move(items)) {}
  std::string_view TypeName() const override { return "Cycler"; }
  Value GetAttr(std::string_view name) override {
    if (name == "current") return items_[pos_];
    if (name == "next" || name == "reset") {
      return Value::FromObject(std::make_shared<Method>(this, name == "next"));
    }
    return Value();
  }
  class Method : public Object {
   public:
    Method(Cycler* c, bool next) : c_(c), next_(next) {}
    std::string_view TypeName() const override { return "method"; }
    bool IsCallable() const override { return true; }
    Value Call(Renderer&, CallArgs&) override {
      if (!next_) {
        c_->pos_ = 0;
        return Value::None();
      }
      Value v = c_->items_[c_->pos_];
      c_->pos_ = (c_->pos_ + 1) % c_->items_.size();
      return v;
    }

   private:
    Cycler* c_;
    bool next_;
  };

 private:
  std::vector<Value> items_;
  size_t pos_ = 0;
};

class Joiner : public Object {
 public:
  explicit Joiner(std::string sep) : sep_(std::move(sep)) {}
  std::string_view TypeName() const override { return "Joiner"; }
  bool IsCallable() const override { return true; }
  Value Call(Renderer&, CallArgs&) override {
    if (!used_) {
      used_ = true;
      return Value::String("");
    }
    return Value::String(sep_);
  }

 private:
  std::string sep_;
  bool used_ = false;
};

int64_t RangeArg(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool();
  Throw("'" + std::string(PyTypeName(v)) + "' object cannot be interpreted as an integer");
}

Value Range(Renderer& r, CallArgs& args) {
  int64_t start = 0, stop = 0, step = 1;
  if (args.pos.size() == 1) {
    stop = RangeArg(args.pos[0]);
  } else if (args.pos.size() == 2 || args.pos.size() == 3) {
    start = RangeArg(args.pos[0]);
    stop = RangeArg(args.pos[1]);
    if (args.pos.size() == 3) step = RangeArg(args.pos[2]);
  } else {
    Throw("range expected at least 1 argument, got " + std::to_string(args.pos.size()));
  }
  if (step == 0) Throw("range() arg 3 must not be zero");
  // In 128 bits: range(-2**63, 2**63 - 1) spans more than int64 holds.
  const __int128 span = step > 0 ? static_cast<__int128>(stop) - start : static_cast<__int128>(start) - stop;
  const __int128 stride = step > 0 ? static_cast<__int128>(step) : -static_cast<__int128>(step);
  const __int128 wide_count = span > 0 ? (span + stride - 1) / stride : 0;
  if (wide_count > kMaxListItems) {
    Throw("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).", StatusCode::kResourceExhausted);
  }
  const int64_t count = static_cast<int64_t>(wide_count);
  if (count > kMaxRange && (r.options().sandboxed || static_cast<uint64_t>(count) > r.options().max_loop_iterations)) {
    Throw("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).", StatusCode::kResourceExhausted);
  }
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) items.push_back(Value::Int(start + i * step));
  Value result = Value::FromList(std::move(items));
  result.as_list().view = List::View::kRange;
  result.as_list().range = {start, stop, step};
  return result;
}

Value MakeNamespace(Renderer&, CallArgs& args) {
  auto ns = std::make_shared<Namespace>();
  ns->attrs_.as_dict().items.reserve(args.kw.size());  // namespace(a=..., b=...): room once
  for (const auto& p : args.pos) {
    if (p.is_dict()) {
      for (const auto& [k, v] : p.as_dict().items) ns->attrs_.as_dict().Set(k, v);
    }
  }
  for (const auto& [k, v] : args.kw) ns->SetAttr(k, v);
  return Value::FromObject(ns);
}

Value MakeDictFn(Renderer&, CallArgs& args) {
  Value d = Value::MakeDict();
  for (const auto& p : args.pos) {
    if (p.is_dict()) {
      for (const auto& [k, v] : p.as_dict().items) d.as_dict().Set(k, v);
    }
  }
  for (const auto& [k, v] : args.kw) d.as_dict().Set(Value::String(k), v);
  return d;
}

}  // namespace

Value BuiltinGlobal(std::string_view name) {
  if (name == "range") return Value::FromObject(std::make_shared<NativeFunction>("range", Range));
  if (name == "namespace") return Value::FromObject(std::make_shared<NativeFunction>("namespace", MakeNamespace));
  if (name == "dict") return Value::FromObject(std::make_shared<NativeFunction>("dict", MakeDictFn));
  if (name == "cycler") {
    return Value::FromObject(std::make_shared<NativeFunction>("cycler", [](Renderer&, CallArgs& a) {
      if (a.pos.empty()) Throw("at least one item has to be provided");
      return Value::FromObject(std::make_shared<Cycler>(a.pos.ToVector()));
    }));
  }
  if (name == "joiner") {
    return Value::FromObject(std::make_shared<NativeFunction>("joiner", [](Renderer&, CallArgs& a) {
      const Value* sep = a.Get(0, "sep");
      return Value::FromObject(std::make_shared<Joiner>(sep != nullptr ? PyStr(*sep) : ", "));
    }));
  }
  return Value();
}

}  // namespace tunepack::jinja
