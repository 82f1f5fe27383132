// The renderer's set-up and what crosses templates: the root render, include, import,
// extends (a child's blocks rendered by its parent), {% block %} chains with super() and
// self, and macros defined by one template and called from another. Each included,
// imported or parent template renders in a sub-renderer the root renderer owns.
#include "template/render.h"

#include <algorithm>

#include "template/runtime_objects.h"

namespace tunepack::jinja {

using internal::SelfReference;
using internal::SuperFunction;
using internal::TemplateModule;

struct Renderer::SubRun {
  std::string out;
  Scope root;
  std::unique_ptr<Renderer> renderer;
};

Renderer::~Renderer() = default;

Renderer::Renderer(const internal::Program& program, const Value& context, std::string& out,
                   const std::vector<int>* key_slots)
    : program_(program), budget_(&CurrentBudget()), out_(&out), context_(context) {
  // The program and this renderer's context outlive every value of the render (a render
  // gives back text, never a value): the globals borrow from them, so that neither this
  // setup nor the render's copies of a global count references.
  globals_.reserve(program.fallback_globals.size());
  for (const Value& fallback : program.fallback_globals) globals_.push_back(fallback.Borrow());
  if (context_.is_dict()) {
    const auto& items = context_.as_dict().items;
    size_t i = 0;
    if (key_slots != nullptr) {
      for (const size_t known = std::min(items.size(), key_slots->size()); i < known; ++i) {
        if (const int slot = (*key_slots)[i]; slot >= 0) globals_[slot] = items[i].second.Borrow();
      }
    }
    for (; i < items.size(); ++i) {
      const auto& [key, value] = items[i];
      if (!key.is_string()) continue;
      const int slot = program.FindSlot(key.as_string());
      if (slot >= 0) globals_[slot] = value.Borrow();
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
  if (program_.self_slot >= 0) {
    SetVar(root, program_.self_slot, Value::FromObject(std::make_shared<SelfReference>(this)));
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
      if (const int slot = owner->program_.FindSlot(it->first); slot >= 0) owner->SetVar(scope, slot, Value(it->second));
    }
  }
  if (const int slot = owner->program_.FindSlot("super"); slot >= 0) {
    owner->SetVar(scope, slot, Value::FromObject(std::make_shared<SuperFunction>(this, name, index + 1)));
  }
  // `self` in an override sees every block of the render, as super() does.
  if (const int slot = owner->program_.FindSlot("self"); slot >= 0) {
    owner->SetVar(scope, slot, Value::FromObject(std::make_shared<SelfReference>(this)));
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

}  // namespace tunepack::jinja
