// The objects a render makes as it runs: `loop`, macros and call-block callers, imported
// template modules, super() and self, bound methods and type(x). Private to the renderer
// (render_*.cc); each keeps what it needs of the render that made it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/object.h"
#include "template/render.h"

namespace tunepack::jinja::internal {

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

  const LoopObject* AsLoop() const override { return this; }
  // Returns the number or truth value `field` (not kNone).
  Value Field(LoopField field) const {
    const int64_t n = static_cast<int64_t>(items_.size());
    const int64_t i = static_cast<int64_t>(index0_);
    switch (field) {
      case LoopField::kIndex: return Value::Int(i + 1);
      case LoopField::kIndex0: return Value::Int(i);
      case LoopField::kFirst: return Value::Bool(i == 0);
      case LoopField::kLast: return Value::Bool(i == n - 1);
      case LoopField::kLength: return Value::Int(n);
      case LoopField::kRevindex: return Value::Int(n - i);
      case LoopField::kRevindex0: return Value::Int(n - i - 1);
      case LoopField::kDepth: return Value::Int(depth_ == 0 ? 1 : depth_);
      case LoopField::kDepth0: return Value::Int(depth_ == 0 ? 0 : depth_ - 1);
      case LoopField::kNone: break;
    }
    return Value();
  }

  Value GetAttr(std::string_view name) override {
    if (const LoopField field = LoopFieldNamed(name); field != LoopField::kNone) return Field(field);
    const int64_t n = static_cast<int64_t>(items_.size());
    const int64_t i = static_cast<int64_t>(index0_);
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
      Value current = Value::FromList(args.pos.ToVector());
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

inline Value SelfReference::GetAttr(std::string_view name) {
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

}  // namespace tunepack::jinja::internal
