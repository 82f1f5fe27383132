// The statements: output, if, for (a fresh scope per iteration, so `set` inside a loop
// does not leak out, hence namespace()), set and set blocks, filter and autoescape blocks,
// macro and call-block definitions, with, break/continue and {% generation %}. Scoping
// follows Jinja2's generated code: if/filter blocks write to the scope they are in, with
// and macros get their own.
#include "template/render.h"

#include "template/pystr.h"
#include "template/runtime_objects.h"
#include "tunepack/core/html_escape.h"

namespace tunepack::jinja {

using internal::LoopObject;
using internal::Macro;
using internal::TemplateModule;

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

void Renderer::Assign(const Expr& target, Value&& value, Scope& scope) {
  if (target.kind == ExprKind::kName) {
    SetVar(scope, target.slot, std::move(value));
    return;
  }
  if (target.kind == ExprKind::kAttr) {
    offset_ = target.offset;
    const Value& ns = *LookupRef(target.children[0]->slot, scope);  // the scope keeps it while it is set
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
      if ((e.kind == ExprKind::kBinary && e.bin_op == BinOp::kAdd) || e.trims_in_place) {
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
      if (own && program_.FindSlot("super") < 0) {
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
        SetVar(scope, program_.FindSlot(alias), std::move(value));  // the parser gave every alias a slot
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
  // A list is read live, as Jinja2 does (the body may change it: append outside the sandbox,
  // pop and clear in it too); anything else is read into a list first.
  Value list = iterable.is_list() ? iterable : Value::FromList(Iterate(iterable));
  const size_t loop_list_size = list.as_list().items.size();
  LoopObject::Keep keep;
  if (s.condition) {
    keep = [this, &s, &scope](const Value& item) {
      Scope probe{&scope, {}};
      Assign(*s.target, Value(item), probe);
      return Eval(*s.condition, probe).Truthy();
    };
  }
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
  auto loop = std::make_shared<LoopObject>(std::move(list), std::move(keep), depth, std::move(recurse));
  LoopObject::Running().push_back(loop.get());
  struct FinishOnExit {
    std::shared_ptr<LoopObject>& loop;
    ~FinishOnExit() {
      LoopObject::Running().pop_back();
      loop->Finish(loop.use_count() > 1);
    }
  } finish{loop};
  const Value loop_value = Value::FromObject(loop);
  static const int kNoSlot = -1;
  const int loop_slot = program_.loop_slot;
  // Each iteration starts with an empty scope, as Jinja2's loop body does; the scope object
  // itself is reused.
  Scope body_scope{&scope, {}};
  // The iterations a list without an inline `if` holds are counted at once, the ones it
  // gains while the loop runs one at a time.
  const uint64_t counted = s.condition ? 0 : loop_list_size;
  CountIterations(counted);
  uint64_t taken = 0;
  while (const Value* item = loop->Next()) {
    if (++taken > counted) CountIterations(1);
    body_scope.vars.clear();
    if (loop_slot != kNoSlot) body_scope.vars.emplace_back(loop_slot, Value(loop_value));
    Assign(*s.target, Value(*item), body_scope);  // a copy: the list keeps its item
    Flow flow = ExecBody(s.body, body_scope);
    if (flow == Flow::kBreak) break;
  }
  if (taken == 0 && !s.else_body.empty()) ExecBody(s.else_body, scope);
}

}  // namespace tunepack::jinja
