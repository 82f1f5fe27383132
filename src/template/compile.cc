#include "template/compile.h"

#include <string>
#include <utility>

#include "template/parser.h"
#include "template/render.h"
#include "tunepack/core/html_escape.h"

namespace tunepack::jinja {

LoopField LoopFieldNamed(std::string_view name) {
  static constexpr std::pair<std::string_view, LoopField> kFields[] = {
      {"index", LoopField::kIndex},       {"index0", LoopField::kIndex0},       {"first", LoopField::kFirst},
      {"last", LoopField::kLast},         {"length", LoopField::kLength},       {"revindex", LoopField::kRevindex},
      {"revindex0", LoopField::kRevindex0}, {"depth", LoopField::kDepth},       {"depth0", LoopField::kDepth0},
  };
  for (const auto& [field_name, field] : kFields) {
    if (field_name == name) return field;
  }
  return LoopField::kNone;
}

namespace internal {
namespace {

// A literal made by folding stays this small: folding is for the separators and markers
// templates spell in pieces, not for building large text while compiling.
constexpr size_t kMaxFoldedBytes = 64 * 1024;

bool IsStringConst(const Expr* e) { return e != nullptr && e->kind == ExprKind::kConst && e->value.is_string(); }

bool FoldsWith(const Expr& a, const Expr& b) {
  return a.value.as_string().size() + b.value.as_string().size() <= kMaxFoldedBytes;
}

Value Joined(const Expr& a, const Expr& b) { return Value::String(a.value.as_string() + b.value.as_string()); }

void CompileExpr(ExprPtr& e);

void CompileArgs(ArgList& args) {
  bool no_call = true;
  for (auto& a : args.pos) {
    CompileExpr(a);
    no_call = no_call && a->runs_no_call;
  }
  for (auto& [name, value] : args.kw) {
    CompileExpr(value);
    no_call = no_call && value->runs_no_call;
  }
  for (ExprPtr* extra : {&args.star, &args.star_star}) {
    if (*extra == nullptr) continue;
    CompileExpr(*extra);
    no_call = no_call && (*extra)->runs_no_call;
  }
  args.runs_no_call = no_call;
}

// `a + b` of two string literals is their join; `(x + 'a') + 'b'` is `x + 'ab'`. The left
// side is compiled first, so a chain folds from its innermost addition outwards.
void FoldAdd(ExprPtr& e) {
  Expr& left = *e->children[0];
  Expr* right = e->children[1].get();
  if (!IsStringConst(right)) return;
  if (IsStringConst(&left) && FoldsWith(left, *right)) {
    Value joined = Joined(left, *right);
    e->kind = ExprKind::kConst;
    e->value = std::move(joined);
    e->children.clear();
    return;
  }
  if (left.kind == ExprKind::kBinary && left.bin_op == BinOp::kAdd && IsStringConst(left.children[1].get()) &&
      FoldsWith(*left.children[1], *right)) {
    left.children[1]->value = Joined(*left.children[1], *right);
    ExprPtr inner = std::move(e->children[0]);
    e = std::move(inner);
  }
}

// a ~ 'b' ~ 'c': adjacent string literals of a `~` chain join (str() of a string is the
// string; escaping, under autoescape, escapes character by character).
void FoldConcat(Expr& e) {
  std::vector<ExprPtr> kept;
  for (auto& child : e.children) {
    if (!kept.empty() && IsStringConst(kept.back().get()) && IsStringConst(child.get()) &&
        FoldsWith(*kept.back(), *child)) {
      kept.back()->value = Joined(*kept.back(), *child);
      continue;
    }
    kept.push_back(std::move(child));
  }
  e.children = std::move(kept);
}

bool IsAdd(const Expr& e) { return e.kind == ExprKind::kBinary && e.bin_op == BinOp::kAdd; }

// Flattens the chain of additions topped by `e` (after folding) into e.chain.
void FlattenAddChain(Expr& e) {
  std::vector<const Expr*> adds;  // outermost first
  const Expr* cur = &e;
  while (adds.size() + 1 < AddChain::kMaxOperands && IsAdd(*cur)) {
    adds.push_back(cur);
    cur = cur->children[0].get();
  }
  auto chain = std::make_unique<AddChain>();
  chain->operands.push_back(cur);
  chain->offsets.push_back(0);
  for (size_t i = adds.size(); i-- > 0;) {
    chain->operands.push_back(adds[i]->children[1].get());
    chain->offsets.push_back(adds[i]->offset);
  }
  for (size_t k = chain->operands.size(); k-- > 1;) {
    if (!chain->operands[k]->runs_no_call) {
      chain->copy_before = k;
      break;
    }
  }
  e.chain = std::move(chain);
}

void CompileExpr(ExprPtr& e) {
  if (e == nullptr) return;
  for (auto& child : e->children) CompileExpr(child);
  if (e->args) CompileArgs(*e->args);
  if (e->kind == ExprKind::kBinary && e->bin_op == BinOp::kAdd) FoldAdd(e);
  if (e->kind == ExprKind::kConcat) FoldConcat(*e);
  bool no_call = e->kind != ExprKind::kCall;
  for (const auto& child : e->children) no_call = no_call && (child == nullptr || child->runs_no_call);
  e->runs_no_call = no_call && (e->args == nullptr || e->args->runs_no_call);
  if (e->kind == ExprKind::kCall && e->children[0]->kind == ExprKind::kAttr) {
    e->children[0]->methods = FindMethods(e->children[0]->name);
  }
  if (e->kind == ExprKind::kFilter) {
    static const FilterEntry* const kTrim = FindFilter("trim");
    e->trims_in_place = e->filter == kTrim && e->args->empty();
    static const FilterEntry* const kLength = FindFilter("length");
    static const FilterEntry* const kCount = FindFilter("count");
    e->counts_length = (e->filter == kLength || e->filter == kCount) && e->args->empty();
  }
  if (IsAdd(*e)) FlattenAddChain(*e);
  if (e->kind == ExprKind::kCompare) {
    e->compares_to_string = e->ops.size() == 1 && (e->ops[0] == CmpOp::kEq || e->ops[0] == CmpOp::kNe) &&
                            IsStringConst(e->children[1].get());
  }
  if (e->kind == ExprKind::kAttr && e->children[0]->kind == ExprKind::kName && e->children[0]->name == "loop") {
    e->loop_field = LoopFieldNamed(e->name);
  }
}

void CompileBody(Body& body);

void CompileMacro(MacroDef& macro) {
  for (auto& d : macro.defaults) CompileExpr(d);
  CompileBody(macro.body);
}

// {{ 'literal' }} is text known now: written as Jinja2 would print it, escaped where the
// statement escapes (a literal's escaping is decided while parsing, never at run time).
void LiteralOutputToText(Stmt& s) {
  if (s.kind != StmtKind::kOutput || s.expr->kind != ExprKind::kConst || s.escape == EscapeMode::kVolatile) return;
  std::string text;
  AppendPyStr(s.expr->value, text);
  s.text = s.escape == EscapeMode::kOn ? EscapeHtml(text) : std::move(text);
  s.kind = StmtKind::kText;
  s.expr.reset();
}

void CompileStmt(Stmt& s) {
  for (ExprPtr* e : {&s.expr, &s.target, &s.condition, &s.filter}) CompileExpr(*e);
  for (auto& [condition, body] : s.branches) {
    CompileExpr(condition);
    CompileBody(body);
  }
  for (auto& [target, value] : s.assignments) {
    CompileExpr(target);
    CompileExpr(value);
  }
  CompileBody(s.body);
  CompileBody(s.else_body);
  if (s.macro) CompileMacro(*s.macro);
  LiteralOutputToText(s);
}

void CompileBody(Body& body) {
  Body kept;
  kept.reserve(body.size());
  for (auto& stmt : body) {
    CompileStmt(*stmt);
    if (stmt->kind == StmtKind::kText && !kept.empty() && kept.back()->kind == StmtKind::kText) {
      kept.back()->text += stmt->text;
      continue;
    }
    kept.push_back(std::move(stmt));
  }
  body = std::move(kept);
}

}  // namespace

void CompileProgram(Program& program) { CompileBody(program.body); }

}  // namespace internal
}  // namespace tunepack::jinja
