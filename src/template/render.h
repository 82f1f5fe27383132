// Renderer: walks a Program's tree with a context and writes the output. It throws
// RenderError internally; Template::RenderTo turns that into a Status with a position.
// Its parts: render_statements.cc, render_expressions.cc, render_calls.cc (lookups, calls,
// macros), render_templates.cc (include, import, extends, blocks); runtime_objects.h holds
// the objects a render makes (loop, macros...), python_ops.h Python's value semantics.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/ast.h"
#include "template/limits.h"
#include "template/object.h"
#include "template/python_ops.h"

namespace tunepack::jinja {

// Calls the str/list/dict method `name` on `self`; returns false when there is no such
// method (methods.cc). `immutable` forbids methods that modify `self`, as Jinja2's
// ImmutableSandboxedEnvironment does.
bool CallMethod(Renderer& renderer, const Value& self, std::string_view name, CallArgs& args, Value* result);
// The methods called `name` of str, list and dict (compile.cc finds them once per call).
MethodSet FindMethods(std::string_view name);
// Returns the method of `set` that `self` has (null for other types, a tuple's mutating
// methods, a range's other than count and index).
const Method* MethodOf(const MethodSet& set, const Value& self);
// Returns true when `method` modifies its object (append, pop, update...).
bool IsMutating(const Method& method);
// Calls `method` (one of `self`'s, from MethodOf) on `self`.
Value CallMethod(Renderer& renderer, const Method& method, const Value& self, CallArgs& args);
// Returns true when `name` is a method of `self`'s type.
bool HasMethod(const Value& self, std::string_view name);
// Returns true when `name` is a method of dict (message.items is the method, not a key).
bool IsDictMethodName(std::string_view name);
// Returns true when the method modifies its object (append, pop, update...).
bool IsMutatingMethod(const Value& self, std::string_view name);

// Serialises `v` as Python's json.dumps does. `indent` < 0 means None; `indent_str`
// overrides the indent unit when non-null.
struct JsonDumpOptions {
  bool ensure_ascii = false;
  bool sort_keys = false;
  bool html_safe = false;  ///< Jinja2's tojson: escape < > & ' as \u003c...
  int64_t indent = -1;
  const std::string* indent_str = nullptr;
  std::string item_separator = ", ";
  std::string key_separator = ": ";
};
std::string JsonDumps(const Value& v, const JsonDumpOptions& options);

// Returns printf-style `format % args` as Python's str % does.
std::string PyPercentFormat(const std::string& format, const Value& args);

class Renderer {
 public:
  // `key_slots`, when given: the slot of each of the first keys of the dict `context`
  // (Template::SlotsOf), which the renderer then does not look up.
  Renderer(const internal::Program& program, const Value& context, std::string& out,
           const std::vector<int>* key_slots = nullptr);
  ~Renderer();

  // Sets the templates include, import and extends load (the root template's library).
  void set_library(const internal::Library* library) { library_ = library; }

  // Renders the whole template; throws RenderError.
  void Run();

  const TemplateOptions& options() const { return program_.options; }
  // The autoescape setting in force ({% autoescape %}; Jinja2's eval_ctx.autoescape).
  bool autoescape() const { return autoescape_; }
  // Calls a callable value (macro, built-in, bound method).
  Value CallValue(const Value& callee, CallArgs& args);
  // Applies the filter or test called `name`; throws when there is none.
  Value ApplyFilter(std::string_view name, const Value& input, CallArgs& args);
  bool ApplyTest(std::string_view name, const Value& input, CallArgs& args);
  // Jinja2's getattr (attribute, then item) and getitem (item, then attribute).
  Value GetAttr(const Value& obj, std::string_view name);
  Value GetItem(const Value& obj, const Value& key);
  // Counts loop iterations against the limit.
  void CountIterations(uint64_t n);
  // Counts `n` operations against the render's budget.
  void Charge(uint64_t n) { budget_->Charge(n); }
  // Renders a macro body with its arguments bound (used by the Macro object).
  // `self` binds the macro's own name (slot -1 for none).
  Value CallMacro(const MacroDef& macro, const std::vector<std::pair<int, Value>>& closure, CallArgs& args,
                  const std::pair<int, Value>& self);
  // The current offset, for errors thrown by helpers.
  size_t offset() const { return offset_; }
  const internal::Program& program() const { return program_; }

  // Calls the macro `macro` defined by this renderer's template, from `caller` (another
  // renderer: an importing or extending template); errors name this template's position.
  Value CallForeignMacro(Renderer& caller, const MacroDef& macro, const std::vector<std::pair<int, Value>>& closure,
                         CallArgs& args, const std::pair<int, Value>& self);
  // Renders the block at `index` of this renderer's block chain `name` (the most derived
  // template's block first) into `out`; used by {% block %} and super().
  // `locals`: for a `scoped` block, the variables around it (by name: the override may be in
  // another template).
  void RenderBlock(std::string* out, const std::string& name, size_t index,
                   const std::vector<std::pair<std::string, Value>>* locals = nullptr);
  // Returns true when a block called `name` is defined (self.name).
  bool HasBlock(const std::string& name) const {
    auto it = block_chains_.find(name);
    return it != block_chains_.end() && !it->second.empty();
  }

  // Character ranges of {% generation %} blocks in the output.
  std::vector<std::pair<size_t, size_t>>& generation_spans() { return generation_spans_; }

 private:
  // VarList: a scope's variables; the first few live inline, since a loop body creates a
  // scope per iteration and most hold one to three variables.
  class VarList {
   public:
    using Entry = std::pair<int, Value>;
    Entry* begin() { return on_heap_ ? heap_.data() : inline_; }
    Entry* end() { return begin() + size_; }
    const Entry* begin() const { return on_heap_ ? heap_.data() : inline_; }
    const Entry* end() const { return begin() + size_; }
    void emplace_back(int slot, Value&& value) {
      if (!on_heap_ && size_ < kInline) {
        // Straight into the slot, without a temporary pair: the slot holds a plain Undefined.
        inline_[size_].first = slot;
        inline_[size_].second = std::move(value);
        ++size_;
        return;
      }
      if (!on_heap_) {
        heap_.reserve(kInline * 2);
        for (size_t i = 0; i < size_; ++i) heap_.push_back(std::move(inline_[i]));
        on_heap_ = true;
      }
      heap_.emplace_back(slot, std::move(value));
      ++size_;
    }
    // Drops every variable, leaving the list as a new one (a loop reuses its body's scope).
    void clear() {
      if (on_heap_) {
        heap_.clear();
        on_heap_ = false;
      } else {
        for (size_t i = 0; i < size_; ++i) inline_[i].second = Value();
      }
      size_ = 0;
    }

   private:
    static constexpr size_t kInline = 6;
    Entry inline_[kInline];
    std::vector<Entry> heap_;
    size_t size_ = 0;
    bool on_heap_ = false;
  };
  struct Scope {
    Scope* parent = nullptr;
    VarList vars;
  };
  enum class Flow { kNormal, kBreak, kContinue };
  struct SubRun;  // a renderer for an included, imported or parent template (render_templates.cc)
  using BlockChain = std::vector<std::pair<Renderer*, const Stmt*>>;

  // Returns the variables an included template sees: the context, then the variables of
  // the scopes around `scope`, innermost last.
  Value ContextDict(Scope& scope);
  // Returns the template the statement `s` names (a name, or a list tried in order), or
  // nullptr when it is missing and the statement says `ignore missing`.
  const internal::Program* ResolveTemplate(const Stmt& s, Scope& scope);
  // Returns a renderer for `program` owned by the root renderer (kept for the whole
  // render, so macros it defines stay callable), writing to `out` (its own string when null).
  SubRun& NewSubRun(const internal::Program& program, const Value& context, std::string* out);
  // Runs the template's top level with `root` as its root scope; with {% extends %}, only
  // its declarations run and the parent renders, with this template's blocks.
  void RunWithRoot(Scope& root);
  // Runs `fn` on `sub`, turning its errors into errors at this renderer's position that
  // name the other template's file, line and column.
  template <typename Fn>
  void RunIn(Renderer& sub, Fn&& fn);
  void ExecInclude(const Stmt& s, Scope& scope);
  Value ImportModule(const Stmt& s, Scope& scope);
  // Renders the parent template of an {% extends %}, with this template's blocks.
  void RenderParent(const internal::Program& parent, Scope& root);

  Flow ExecBody(const Body& body, Scope& scope);
  Flow Exec(const Stmt& stmt, Scope& scope);
  void ExecFor(const Stmt& stmt, Scope& scope);
  // Runs the for loop `s` over `iterable`: `depth` 0 for a loop that is not recursive, else
  // its level (1 at the top, 2 inside loop(...), ...).
  void RunLoop(const Stmt& s, Scope& scope, const Value& iterable, int depth);
  void ExecSet(const Stmt& stmt, Scope& scope);
  Value Eval(const Expr& e, Scope& scope);
  // Evaluates `e` without copying what it names: returns the stored value itself for
  // constants, variables and dict/list lookups on them, or `tmp` holding a computed value.
  // A pointer into a dict or list stays valid until the next call (a method or macro may
  // modify the container), so callers evaluate nothing with a call in between.
  // Constants and variables are decided inline (render.h, below); the rest in EvalRefSlow.
  const Value* EvalRef(const Expr& e, Scope& scope, Value& tmp);
  const Value* EvalRefSlow(const Expr& e, Scope& scope, Value& tmp);
  // Returns the truth value of `e`; and/or/not, comparisons and tests build no Value.
  bool EvalBool(const Expr& e, Scope& scope);
  // Applies the comparison chain `e` (kCompare).
  bool EvalCompareBool(const Expr& e, Scope& scope);
  const Value* LookupRef(int slot, Scope& scope);
  Value EvalCall(const Expr& e, Scope& scope);
  Value EvalFilter(const Expr& e, Scope& scope, const Value* chain_input);
  Value EvalCompare(const Expr& e, Scope& scope);
  // Evaluates a chain of additions (or one operand: {{ x | trim }}), reading `| trim` operands
  // in place; with `write`, writes the result to the output and returns Undefined.
  Value EvalAddChain(const Expr& e, Scope& scope, bool write);
  void EvalArgs(const ArgList& args, Scope& scope, CallArgs& out);
  Value Lookup(int slot, Scope& scope);
  void Assign(const Expr& target, Value&& value, Scope& scope);
  void SetVar(Scope& scope, int slot, Value&& value);
  std::string Capture(const Body& body, Scope& scope);
  // Returns the variables visible in `scope` below the root scope, innermost first, by name.
  std::vector<std::pair<std::string, Value>> LocalsByName(Scope& scope);
  void Write(std::string_view text);
  void WriteValue(const Value& v);
  // Writes `v` HTML-escaped unless it is Markup (markupsafe.escape).
  void WriteEscaped(const Value& v);
  bool Escapes(EscapeMode mode) const { return mode == EscapeMode::kOn || (mode == EscapeMode::kVolatile && autoescape_); }
  // Returns an empty string to build a new string value in: one this thread built before
  // and no value holds any more (its capacity kept, so `{% set x = a + b %}` in a loop
  // allocates in its first iterations only), else a new one, kept for reuse while there is
  // room. Only a string no one else holds (use count 1) is reused.
  std::shared_ptr<std::string> ReusableString();

  const internal::Program& program_;
  RenderBudget* budget_;  ///< the render's budget, shared with sub-renderers
  std::string* out_;
  std::vector<Value> globals_;
  Scope* root_ = nullptr;
  uint64_t iterations_ = 0;
  int depth_ = 0;
  size_t offset_ = 0;
  bool autoescape_ = false;
  std::vector<std::pair<size_t, size_t>> generation_spans_;
  Value context_;                                   ///< the variables passed to Render
  const internal::Library* library_ = nullptr;      ///< templates include etc. can load
  std::vector<std::unique_ptr<SubRun>> own_runs_;   ///< the root renderer's sub-renderers
  std::vector<std::unique_ptr<SubRun>>* runs_ = &own_runs_;  ///< where sub-renderers live
  const internal::Program* extends_ = nullptr;      ///< the parent named by {% extends %}
  std::unordered_map<std::string, BlockChain> block_chains_;  ///< {% block %} overrides
};

// Scope lookups and output writes run for nearly every expression and statement, in every
// part of the renderer (render_*.cc): inline, so the split into files costs no calls.
inline const Value* Renderer::LookupRef(int slot, Scope& scope) {
  for (Scope* s = &scope; s != nullptr; s = s->parent) {
    for (const auto& [var, value] : s->vars) {
      if (var == slot) return &value;
    }
  }
  return &globals_[slot];
}

inline Value Renderer::Lookup(int slot, Scope& scope) { return *LookupRef(slot, scope); }

inline const Value* Renderer::EvalRef(const Expr& e, Scope& scope, Value& tmp) {
  if (e.kind == ExprKind::kConst) return &e.value;
  if (e.kind == ExprKind::kName) return LookupRef(e.slot, scope);
  return EvalRefSlow(e, scope, tmp);
}

inline void Renderer::SetVar(Scope& scope, int slot, Value&& value) {
  for (auto& [var, v] : scope.vars) {
    if (var == slot) {
      v = std::move(value);
      return;
    }
  }
  scope.vars.emplace_back(slot, std::move(value));
}

inline void Renderer::Write(std::string_view text) {
  out_->append(text);
  if (out_->size() > program_.options.max_output_bytes) {
    Throw("output larger than " + std::to_string(program_.options.max_output_bytes) + " bytes",
          StatusCode::kResourceExhausted);
  }
}

// Returns the built-in global `name` (range, dict, namespace, cycler, joiner), or Undefined.
Value BuiltinGlobal(std::string_view name);

}  // namespace tunepack::jinja
