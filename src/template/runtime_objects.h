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

// LoopObject: the `loop` variable of a for loop (jinja2.runtime.LoopContext), and the
// iterator the loop statement takes its items from. Like Jinja2's, it reads a list live,
// by position, so items the body appends are reached and removed ones are not; it looks one
// item ahead only when loop.last or loop.nextitem asks (that item is then taken as it was),
// and loop.length is the list's length the first time it is read. Once the list has no item
// at the position, the loop has ended for good. It reads the items it took in place, and
// copies them only when a list method is about to change a list (or when it outlives its
// loop, kept in a namespace): a loop whose list does not change copies nothing.
class LoopObject : public Object {
 public:
  // Recurse: renders the loop again over other items, one level deeper (loop(children)).
  using Recurse = std::function<std::string(const Value& iterable, int depth)>;
  // Keep: the loop's inline `if` on an item, run when the loop reaches the item.
  using Keep = std::function<bool(const Value& item)>;

  // `list` is a list (or tuple) Value; `keep` may be null.
  LoopObject(Value list, Keep keep, int depth, Recurse recurse)
      : list_(std::move(list)), items_(&list_.as_list().items), keep_(std::move(keep)), depth_(depth),
        recurse_(std::move(recurse)) {}
  std::string_view TypeName() const override { return "LoopContext"; }
  // Moves to the next item and returns it, or null when there is none.
  const Value* Next() {
    const uint8_t next = NextSlot();
    if (has_after_) {
      has_after_ = false;
    } else if (!Pull(taken_[next])) {
      return nullptr;
    }
    ++index0_;
    current_slot_ = next;
    return &Read(taken_[next]);
  }
  // Called when the loop statement ends: its scope is gone, so neither loop(...) nor the
  // inline `if` can run again (a kept loop then sees no further item). `kept`: the loop
  // object lives on (in a namespace), so it copies the items it read in place.
  void Finish(bool kept) {
    recurse_ = nullptr;
    if (keep_) exhausted_ = true;
    keep_ = nullptr;
    if (kept) CopyTaken();
  }

  // The loops running on this thread, innermost last: a list method that changes a list
  // first has each of them copy the items it reads in place (BeforeListChange).
  static std::vector<LoopObject*>& Running();
  static void BeforeListChange() {
    for (LoopObject* loop : Running()) loop->CopyTaken();
  }

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
    out += "<LoopContext " + std::to_string(index0_ + 1) + "/" + std::to_string(Length()) + ">";
  }

  const LoopObject* AsLoop() const override { return this; }
  // Returns the number or truth value `field` (not kNone).
  Value Field(LoopField field) const {
    const int64_t i = index0_;
    switch (field) {
      case LoopField::kIndex: return Value::Int(i + 1);
      case LoopField::kIndex0: return Value::Int(i);
      case LoopField::kFirst: return Value::Bool(i == 0);
      case LoopField::kLast: return Value::Bool(!Peek());
      case LoopField::kLength: return Value::Int(Length());
      case LoopField::kRevindex: return Value::Int(Length() - i);
      case LoopField::kRevindex0: return Value::Int(Length() - i - 1);
      case LoopField::kDepth: return Value::Int(depth_ == 0 ? 1 : depth_);
      case LoopField::kDepth0: return Value::Int(depth_ == 0 ? 0 : depth_ - 1);
      case LoopField::kNone: break;
    }
    return Value();
  }

  Value GetAttr(std::string_view name) override {
    if (const LoopField field = LoopFieldNamed(name); field != LoopField::kNone) return Field(field);
    if (name == "previtem") {
      if (index0_ == 0) return Value::UndefinedWith("there is no previous item");
      return Read(taken_[current_slot_ == 0 ? 2 : current_slot_ - 1]);
    }
    if (name == "nextitem") {
      if (!Peek()) return Value::UndefinedWith("there is no next item");
      return Read(taken_[NextSlot()]);
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
        return args.pos[static_cast<size_t>(loop_->index0_) % args.pos.size()];
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
  // Taken: an item the loop took, read in place (its position in the list) until a list
  // method is about to change a list; then copied (CopyTaken), as Python holds the item.
  struct Taken {
    size_t pos = 0;
    bool copied = false;
    Value value;  ///< when copied
  };
  const Value& Read(const Taken& t) const {
    if (t.copied) return t.value;
    return t.pos < items_->size() ? (*items_)[t.pos] : kGone;  // always in range: copied first
  }
  // Copies the items taken in place (some may be stale, but they are never read again).
  void CopyTaken() const {
    for (Taken& t : taken_) {
      if (t.copied) continue;
      t.value = Read(t);
      t.copied = true;
    }
  }
  // Takes the next item the inline `if` keeps from the list, as Python's list iterator does;
  // false when there is none. The common case, no inline `if`, is read here.
  bool Pull(Taken& t) const {
    if (keep_ || exhausted_) return PullKept(t);
    if (pos_ >= items_->size()) {
      exhausted_ = true;
      return false;
    }
    t.pos = pos_++;
    t.copied = false;
    return true;
  }
  // Pull with an inline `if`, or once the list has ended (loop_object.cc, with Length: kept
  // out of line, they would otherwise be inlined into every loop field read).
  bool PullKept(Taken& t) const;
  // Looks one item ahead (loop.last, loop.nextitem); true when there is one.
  bool Peek() const {
    if (!has_after_) has_after_ = Pull(taken_[NextSlot()]);
    return has_after_;
  }
  // The slot of the next item: the items taken are kept in three slots used in turn while
  // they are the previous, the current or the next one (loop.previtem, the loop variable,
  // loop.nextitem).
  uint8_t NextSlot() const { return current_slot_ == 2 ? 0 : current_slot_ + 1; }
  // The list's length when first asked; with an inline `if`, the items kept so far and all
  // those still to come, taken now (Jinja2 reads them into a list, which the loop then walks).
  int64_t Length() const;

  // Reading loop.last, loop.nextitem or loop.length moves the iterator on, as in Jinja2,
  // hence the mutable state behind the const fields.
  mutable Value list_;
  mutable const std::vector<Value>* items_;  ///< list_'s items
  mutable Keep keep_;
  mutable size_t pos_ = 0;  ///< the next position to read in list_
  mutable bool exhausted_ = false;
  mutable Taken taken_[3];
  static inline const Value kGone;
  uint8_t current_slot_ = 0;  ///< the slot of the current item
  mutable bool has_after_ = false;  ///< the next item was looked at, and is in its slot
  mutable int64_t length_ = -1;  ///< -1 until loop.length is read
  int64_t index0_ = -1;
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
