#include "template/parser.h"

#include <charconv>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "template/limits.h"
#include "template/object.h"
#include "template/pystr.h"
#include "template/render.h"

namespace tunepack::jinja {
namespace {

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, internal::Program& program)
      : tokens_(tokens), program_(program) {
    bound_.emplace_back();
  }

  void Run() {
    program_.body = Subparse({});
    if (Cur().type != TokenType::kEof) Fail(Cur(), "unexpected '" + DescribeToken(Cur()) + "'");
    // Jinja2 resolves filters and tests when it compiles, except inside an `if` (its test and
    // branches, not loops or macros within) or an inline if-expression: there an unknown
    // one is an error only when it runs. The first error in compile order is reported.
    const Unresolved* first = nullptr;
    for (const Unresolved& u : unresolved_) {
      if (!u.soft && (first == nullptr || u.order < first->order)) first = &u;
    }
    if (first != nullptr && !(loop_store_ && loop_store_->first < first->order)) {
      const char* kind = first->expr->kind == ExprKind::kFilter ? "filter" : "test";
      throw RenderError{std::string("No ") + kind + " named '" + first->expr->name + "'.",
                        StatusCode::kInvalidArgument, first->expr->offset};
    }
    if (loop_store_) {
      throw RenderError{"Can't assign to special loop variable in for-loop target", StatusCode::kInvalidArgument,
                        loop_store_->second};
    }
  }

 private:
  // ---- token stream -------------------------------------------------------------------
  const Token& Cur() const { return tokens_[idx_]; }
  const Token& Peek(size_t ahead = 1) const {
    return tokens_[std::min(idx_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& t = tokens_[idx_];
    if (idx_ + 1 < tokens_.size()) ++idx_;
    return t;
  }
  bool IsOp(std::string_view op) const { return Cur().type == TokenType::kOperator && Cur().value == op; }
  bool IsName(std::string_view name) const { return Cur().type == TokenType::kName && Cur().value == name; }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }
  void ExpectOp(std::string_view op) {
    if (!SkipOp(op)) ExpectFail(std::string(op));
  }
  void ExpectName(std::string_view name) {
    if (!SkipName(name)) ExpectFail(std::string(name));
  }
  void Expect(TokenType type, std::string_view description) {
    if (Cur().type != type) ExpectFail(std::string(description));
    Next();
  }
  [[noreturn]] void ExpectFail(const std::string& what) {
    if (Cur().type == TokenType::kEof) {
      Fail(Cur(), "unexpected end of template, expected '" + what + "'.");
    }
    Fail(Cur(), "expected token '" + what + "', got '" + DescribeToken(Cur()) + "'");
  }
  [[noreturn]] void Fail(const Token& at, std::string message) {
    throw RenderError{std::move(message), StatusCode::kInvalidArgument, at.offset};
  }

  // ---- names and slots ----------------------------------------------------------------
  int SlotOf(const std::string& name) {
    for (size_t i = 0; i < program_.slot_names.size(); ++i) {
      if (program_.slot_names[i] == name) return static_cast<int>(i);
    }
    program_.slot_names.push_back(name);
    return static_cast<int>(program_.slot_names.size() - 1);
  }
  void Bind(const std::string& name) { bound_.back().insert(name); }
  void NoteRead(const std::string& name) {
    if (in_target_) return;
    for (const auto& scope : bound_) {
      if (scope.count(name)) return;
    }
    if (name == "loop" && loop_depth_ > 0) return;
    if ((name == "caller" || name == "varargs" || name == "kwargs") && macro_depth_ > 0) return;
    for (const auto& seen : program_.referenced) {
      if (seen == name) return;
    }
    static const std::set<std::string> kBuiltins = {"range", "dict", "namespace", "cycler", "joiner", "lipsum", "true", "false", "none", "True", "False", "None"};
    if (kBuiltins.count(name)) return;
    program_.referenced.push_back(name);
  }
  void BindTarget(const Expr& target) {
    if (target.kind == ExprKind::kName) Bind(target.name);
    for (const auto& child : target.children) {
      if (child && target.kind == ExprKind::kTuple) BindTarget(*child);
    }
  }

  // CompileOrder: when Jinja2's compiler reaches a node: the top level first, then each
  // {% block %} in source order (numbered from 1), each in source order.
  using CompileOrder = std::pair<uint32_t, uint32_t>;  ///< block number, source offset
  CompileOrder OrderOf(uint32_t offset) const { return {block_numbers_.back(), offset}; }

  // Jinja2 refuses, when it compiles a for loop, any for or set target named `loop` anywhere
  // inside it (its body and else, macros and blocks within; not with, macro or call
  // parameters, nor ns.loop). The outermost such loop is compiled first and reports its first
  // such name, so the earliest (loop, name) pair is kept; filters the compiler meets before
  // that loop, its own inline `if` included, fail first (Run).
  void NoteLoopStores(const Expr& target) {
    if (target.kind == ExprKind::kTuple) {
      for (const auto& child : target.children) NoteLoopStores(*child);
      return;
    }
    if (target.kind != ExprKind::kName || target.name != "loop" || for_orders_.empty()) return;
    const std::pair<CompileOrder, uint32_t> store{for_orders_.front(), target.offset};
    if (!loop_store_ || store < *loop_store_) loop_store_ = store;
  }

  ExprPtr NewExpr(ExprKind kind, const Token& at) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = at.offset;
    return e;
  }

  // Adds `child` (may be null) to `parent`'s operands. Heights are tracked because chains
  // (a + b + c..., x|f|g..., a.b.c...) are built in loops, which the nesting guard does not
  // see, yet evaluating and freeing them recurses once per level.
  void Adopt(Expr& parent, ExprPtr child) {
    if (child) Raise(parent, *child);
    parent.children.push_back(std::move(child));
  }
  void Raise(Expr& parent, const Expr& child) {
    if (child.height < parent.height) return;
    parent.height = child.height + 1;
    if (parent.height > static_cast<uint32_t>(kMaxTemplateNesting)) {
      throw RenderError{"expression nested too deeply: more than " + std::to_string(kMaxTemplateNesting) +
                            " levels of operators, filters, calls or brackets",
                        StatusCode::kInvalidArgument, parent.offset};
    }
  }
  // Counts the arguments of a call, filter or test as operands of `e`.
  void AdoptArgs(Expr& e) {
    if (!e.args) return;
    for (const auto& a : e.args->pos) Raise(e, *a);
    for (const auto& [k, v] : e.args->kw) Raise(e, *v);
    if (e.args->star) Raise(e, *e.args->star);
    if (e.args->star_star) Raise(e, *e.args->star_star);
  }

  // SoftScope: sets whether the statements parsed during its life are inside an `if` (see
  // Run) and restores the previous setting.
  class SoftScope {
   public:
    SoftScope(Parser& parser, bool soft) : parser_(parser), saved_(parser.soft_) { parser_.soft_ = soft; }
    ~SoftScope() { parser_.soft_ = saved_; }
    SoftScope(const SoftScope&) = delete;
    SoftScope& operator=(const SoftScope&) = delete;

   private:
    Parser& parser_;
    bool saved_;
  };

  // NestingGuard: one level of the parser's recursion (a block inside a block, an
  // expression inside brackets, `not`, a unary sign); refuses templates nested deeper than
  // kMaxTemplateNesting, which would otherwise overflow the stack.
  class NestingGuard {
   public:
    NestingGuard(Parser& parser, const Token& at) : parser_(parser) {
      if (++parser_.nesting_ > kMaxTemplateNesting) {
        --parser_.nesting_;
        parser_.Fail(at, "template nested too deeply: more than " + std::to_string(kMaxTemplateNesting) +
                             " levels of blocks, brackets or operators");
      }
    }
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  // ---- statements -----------------------------------------------------------------------
  // Parses nodes until a block tag whose name is in `end_tags` (left as the current token)
  // or the end of the template.
  Body Subparse(const std::vector<std::string_view>& end_tags) {
    NestingGuard guard(*this, Cur());
    Body body;
    while (true) {
      const Token& t = Cur();
      switch (t.type) {
        case TokenType::kEof: return body;
        case TokenType::kData: {
          auto s = std::make_unique<Stmt>();
          s->kind = StmtKind::kText;
          s->offset = t.offset;
          s->text = t.value;
          Next();
          body.push_back(std::move(s));
          break;
        }
        case TokenType::kVariableBegin: {
          Next();
          auto s = std::make_unique<Stmt>();
          s->kind = StmtKind::kOutput;
          s->offset = t.offset;
          s->expr = ParseTuple(false, true, {}, false);
          s->escape = OutputEscape(s->expr.get());
          Expect(TokenType::kVariableEnd, "end of print statement");
          body.push_back(std::move(s));
          break;
        }
        case TokenType::kBlockBegin: {
          Next();
          if (Cur().type == TokenType::kName) {
            for (auto end : end_tags) {
              if (Cur().value == end) return body;
            }
          }
          StmtPtr s = ParseStatement(end_tags);
          if (s) body.push_back(std::move(s));
          break;
        }
        default: Fail(t, "unexpected '" + DescribeToken(t) + "'");
      }
    }
  }

  std::string DescribeEndTags(const std::vector<std::string_view>& end_tags) {
    std::string out;
    for (size_t i = 0; i < end_tags.size(); ++i) {
      if (i > 0) out += " or ";
      out += "'" + std::string(end_tags[i]) + "'";
    }
    return out;
  }

  // Parses `[:] %}` then nodes up to one of `end_tags`; consumes the end tag name when
  // `drop_needle`.
  Body ParseStatements(const std::vector<std::string_view>& end_tags, bool drop_needle,
                       std::string_view block_name) {
    SkipOp(":");
    Expect(TokenType::kBlockEnd, "end of statement block");
    block_stack_.push_back(std::string(block_name));
    Body body = Subparse(end_tags);
    block_stack_.pop_back();
    if (Cur().type == TokenType::kEof) {
      Fail(Cur(), "Unexpected end of template. Jinja was looking for the following tags: " +
                      DescribeEndTags(end_tags) + ". The innermost block that needs to be closed is '" +
                      std::string(block_name) + "'.");
    }
    if (drop_needle) Next();
    return body;
  }

  StmtPtr ParseStatement(const std::vector<std::string_view>& end_tags) {
    const Token& t = Cur();
    if (t.type != TokenType::kName) Fail(t, "tag name expected");
    const std::string tag = t.value;
    auto s = std::make_unique<Stmt>();
    s->offset = t.offset;
    Next();
    if (tag == "if") return ParseIf(std::move(s));
    if (tag == "for") return ParseFor(std::move(s));
    if (tag == "set") return ParseSet(std::move(s));
    if (tag == "macro") return ParseMacro(std::move(s));
    if (tag == "call") return ParseCallBlock(std::move(s));
    if (tag == "filter") {
      s->kind = StmtKind::kFilterBlock;
      s->escape = OutputEscape(nullptr);
      s->filter = ParseFilterChain(nullptr, true);
      SoftScope inner(*this, false);
      s->body = ParseStatements({"endfilter"}, true, "filter");
      return EndBlock(std::move(s));
    }
    if (tag == "with") return ParseWith(std::move(s));
    if (tag == "generation") {
      s->kind = StmtKind::kGeneration;
      program_.has_generation = true;
      s->body = ParseStatements({"endgeneration"}, true, "generation");
      return EndBlock(std::move(s));
    }
    if ((tag == "break" || tag == "continue") && program_.options.loop_controls) {
      if (loop_depth_ == 0) Fail(t, "'" + tag + "' outside of a loop");
      s->kind = tag == "break" ? StmtKind::kBreak : StmtKind::kContinue;
      return EndBlock(std::move(s));
    }
    if (tag == "block") {
      s->kind = StmtKind::kBlock;
      if (Cur().type != TokenType::kName) ExpectFail("name");
      s->text = Next().value;
      s->scoped = SkipName("scoped");
      // A scoped block passes the loop around it to its override (in another template).
      if (s->scoped && loop_depth_ > 0) SlotOf("loop");
      s->required = SkipName("required");
      {
        SoftScope inner(*this, false);
        // Jinja2 compiles a block with a fresh eval context: an {% autoescape %} around it
        // does not reach its body.
        const bool saved_on = autoescape_on_, saved_volatile = autoescape_volatile_;
        autoescape_on_ = autoescape_volatile_ = false;
        block_numbers_.push_back(++blocks_seen_);
        s->body = ParseStatements({"endblock"}, true, "block");
        block_numbers_.pop_back();
        autoescape_on_ = saved_on;
        autoescape_volatile_ = saved_volatile;
      }
      if (s->required) {
        for (const auto& child : s->body) {
          if (child->kind != StmtKind::kText || (!child->text.empty() && !PyIsSpace(child->text))) {
            Fail(Cur(), "Required blocks can only contain comments or whitespace");
          }
        }
      }
      // `{% endblock name %}` may repeat the block's name, and only its name.
      SkipName(s->text);
      program_.blocks[s->text] = s.get();
      return EndBlock(std::move(s));
    }
    if (tag == "extends") {
      s->kind = StmtKind::kInclude;
      s->expr = ParseExpression(true);
      s->with_context = true;
      s->text = "extends";
      program_.uses_extends = true;
      return EndBlock(std::move(s));
    }
    if (tag == "include") {
      s->kind = StmtKind::kInclude;
      s->expr = ParseExpression(true);
      if (IsName("ignore") && Peek().type == TokenType::kName && Peek().value == "missing") {
        Next();
        Next();
        s->ignore_missing = true;
      }
      ParseContextModifier(*s, true);
      return EndBlock(std::move(s));
    }
    if (tag == "import") {
      s->kind = StmtKind::kImport;
      s->expr = ParseExpression(true);
      ExpectName("as");
      s->target = ParseAssignTarget(false, true, {}, false);
      BindTarget(*s->target);
      ParseContextModifier(*s, false);
      return EndBlock(std::move(s));
    }
    if (tag == "from") {
      s->kind = StmtKind::kFromImport;
      s->expr = ParseExpression(true);
      ExpectName("import");
      while (true) {
        if (!s->imports.empty()) {
          if (!SkipOp(",")) break;
        }
        if (Cur().type != TokenType::kName) break;
        if ((IsName("with") || IsName("without")) && Peek().type == TokenType::kName && Peek().value == "context") break;
        if (Cur().value.rfind('_', 0) == 0) Fail(Cur(), "names starting with an underline can not be imported");
        std::string name = Next().value;
        std::string alias = name;
        if (SkipName("as")) alias = Next().value;
        Bind(alias);
        SlotOf(alias);
        s->imports.emplace_back(name, alias);
      }
      ParseContextModifier(*s, false);
      return EndBlock(std::move(s));
    }
    if (tag == "print") {
      s->kind = StmtKind::kOutput;
      s->expr = ParseTuple(false, true, {}, false);
      s->escape = OutputEscape(s->expr.get());
      return EndBlock(std::move(s));
    }
    if (tag == "autoescape") return ParseAutoescape(std::move(s));
    std::string message = "Encountered unknown tag '" + tag + "'.";
    if (!block_stack_.empty()) {
      if (!end_tags.empty()) {
        message += " Jinja was looking for the following tags: " + DescribeEndTags(end_tags) + ".";
      }
      message += " The innermost block that needs to be closed is '" + block_stack_.back() + "'.";
    }
    Fail(t, message);
  }

  void ParseContextModifier(Stmt& s, bool default_with) {
    s.with_context = default_with;
    if ((IsName("with") || IsName("without")) && Peek().type == TokenType::kName && Peek().value == "context") {
      s.with_context = Cur().value == "with";
      Next();
      Next();
    }
  }

  StmtPtr EndBlock(StmtPtr s) {
    if (s->kind == StmtKind::kBreak || s->kind == StmtKind::kContinue || s->kind == StmtKind::kInclude ||
        s->kind == StmtKind::kImport || s->kind == StmtKind::kFromImport || s->kind == StmtKind::kOutput ||
        s->kind == StmtKind::kSet) {
      Expect(TokenType::kBlockEnd, "end of statement block");
    } else {
      // Block statements end with their end tag's `%}` still to read.
      Expect(TokenType::kBlockEnd, "end of statement block");
    }
    return s;
  }

  StmtPtr ParseIf(StmtPtr s) {
    SoftScope soft(*this, true);
    s->kind = StmtKind::kIf;
    ExprPtr cond = ParseTuple(false, false, {}, false);
    Body body = ParseStatements({"elif", "else", "endif"}, false, "if");
    s->branches.emplace_back(std::move(cond), std::move(body));
    while (true) {
      const std::string tag = Next().value;
      if (tag == "elif") {
        ExprPtr c = ParseTuple(false, false, {}, false);
        Body b = ParseStatements({"elif", "else", "endif"}, false, "if");
        s->branches.emplace_back(std::move(c), std::move(b));
      } else if (tag == "else") {
        Body b = ParseStatements({"endif"}, true, "if");
        s->branches.emplace_back(nullptr, std::move(b));
        break;
      } else {
        break;
      }
    }
    return EndBlock(std::move(s));
  }

  StmtPtr ParseFor(StmtPtr s) {
    s->kind = StmtKind::kFor;
    s->target = ParseAssignTarget(true, false, {"in"}, false);
    for_orders_.push_back(OrderOf(s->offset));
    NoteLoopStores(*s->target);
    ExpectName("in");
    s->expr = ParseTuple(false, false, {"recursive"}, false);
    bound_.emplace_back();
    BindTarget(*s->target);
    if (SkipName("if")) {
      // Jinja2 compiles the inline `if` before it checks the loop's body.
      const size_t first_unresolved = unresolved_.size();
      s->condition = ParseExpression(true);
      for (size_t i = first_unresolved; i < unresolved_.size(); ++i) unresolved_[i].order = OrderOf(s->offset);
    }
    if (SkipName("recursive")) s->recursive = true;
    ++loop_depth_;
    {
      SoftScope inner(*this, false);
      s->body = ParseStatements({"endfor", "else"}, false, "for");
    }
    --loop_depth_;
    bound_.pop_back();
    if (Next().value == "else") s->else_body = ParseStatements({"endfor"}, true, "for");
    for_orders_.pop_back();
    return EndBlock(std::move(s));
  }

  StmtPtr ParseSet(StmtPtr s) {
    s->target = ParseAssignTarget(true, false, {}, true);
    if (SkipOp("=")) {
      s->kind = StmtKind::kSet;
      s->expr = ParseTuple(false, true, {}, false);
      BindTarget(*s->target);
      NoteLoopStores(*s->target);
      return EndBlock(std::move(s));
    }
    s->kind = StmtKind::kSetBlock;
    s->escape = OutputEscape(nullptr);
    if (IsOp("|")) s->filter = ParseFilterChain(nullptr, false);
    s->body = ParseStatements({"endset"}, true, "set");
    BindTarget(*s->target);
    NoteLoopStores(*s->target);
    return EndBlock(std::move(s));
  }

  void ParseSignature(MacroDef& macro) {
    ExpectOp("(");
    while (!IsOp(")")) {
      if (!macro.param_names.empty()) ExpectOp(",");
      if (Cur().type != TokenType::kName) ExpectFail("name");
      const std::string name = Next().value;
      macro.param_names.push_back(name);
      macro.param_slots.push_back(SlotOf(name));
      if (SkipOp("=")) {
        macro.defaults.push_back(ParseExpression(true));
      } else if (!macro.defaults.empty()) {
        Fail(Cur(), "non-default argument follows default argument");
      }
    }
    ExpectOp(")");
  }

  // A `caller` parameter without a default is an error when the body uses caller, as
  // Jinja2 checks when it compiles the body (`at`: the token after the signature).
  void CheckCallerParameter(const MacroDef& macro, const Token& at) {
    if (!macro.uses_caller) return;
    for (size_t i = 0; i < macro.param_names.size(); ++i) {
      const size_t first_default = macro.param_names.size() - macro.defaults.size();
      if (macro.param_names[i] == "caller" && i < first_default) {
        Fail(at, "When defining macros or call blocks the special \"caller\" argument must be omitted or be "
                 "given a default.");
      }
    }
  }

  void ParseMacroBody(MacroDef& macro, std::string_view end_tag) {
    bound_.emplace_back();
    for (const auto& p : macro.param_names) Bind(p);
    const size_t referenced_before = program_.referenced.size();
    const size_t start = idx_;
    ++macro_depth_;
    const int saved_loop_depth = loop_depth_;
    loop_depth_ = 0;
    {
      SoftScope inner(*this, false);
      macro.body = ParseStatements({end_tag}, true, end_tag.substr(3));
    }
    loop_depth_ = saved_loop_depth;
    --macro_depth_;
    bound_.pop_back();
    (void)referenced_before;
    // Which of the implicit names the body reads decides what the macro accepts.
    for (size_t i = start; i < idx_; ++i) {
      if (tokens_[i].type != TokenType::kName) continue;
      if (i > 0 && tokens_[i - 1].type == TokenType::kOperator && tokens_[i - 1].value == ".") continue;
      const std::string& v = tokens_[i].value;
      if (v == "varargs") macro.uses_varargs = true;
      if (v == "kwargs") macro.uses_kwargs = true;
      if (v == "caller") macro.uses_caller = true;
    }
    macro.varargs_slot = SlotOf("varargs");
    macro.kwargs_slot = SlotOf("kwargs");
    macro.caller_slot = SlotOf("caller");
  }

  StmtPtr ParseMacro(StmtPtr s) {
    s->kind = StmtKind::kMacro;
    s->macro = std::make_shared<MacroDef>();
    if (Cur().type != TokenType::kName) ExpectFail("name");
    s->macro->name = Next().value;
    Bind(s->macro->name);
    s->target = NewExpr(ExprKind::kName, Cur());
    s->target->name = s->macro->name;
    s->target->slot = SlotOf(s->macro->name);
    ParseSignature(*s->macro);
    const size_t after_signature = idx_;
    ParseMacroBody(*s->macro, "endmacro");
    CheckCallerParameter(*s->macro, tokens_[after_signature]);
    return EndBlock(std::move(s));
  }

  StmtPtr ParseCallBlock(StmtPtr s) {
    s->kind = StmtKind::kCallBlock;
    s->macro = std::make_shared<MacroDef>();
    s->macro->name = "caller";
    if (IsOp("(")) ParseSignature(*s->macro);
    const size_t after_signature = idx_;
    const Token& at = Cur();
    s->expr = ParseExpression(true);
    if (s->expr->kind != ExprKind::kCall) Fail(at, "expected call");
    ParseMacroBody(*s->macro, "endcall");
    CheckCallerParameter(*s->macro, tokens_[after_signature]);
    return EndBlock(std::move(s));
  }

  // {% autoescape expr %}: a scope whose output is escaped when expr is true. A literal
  // decides it while parsing; anything else while rendering (Jinja2's volatile mode).
  StmtPtr ParseAutoescape(StmtPtr s) {
    s->kind = StmtKind::kAutoescape;
    s->expr = ParseExpression(true);
    const bool saved_on = autoescape_on_, saved_volatile = autoescape_volatile_;
    if (s->expr->kind == ExprKind::kConst) {
      autoescape_on_ = s->expr->value.Truthy();
    } else {
      autoescape_volatile_ = true;  // stays so in nested literal blocks, as in Jinja2
    }
    bound_.emplace_back();
    {
      SoftScope inner(*this, false);
      s->body = ParseStatements({"endautoescape"}, true, "autoescape");
    }
    bound_.pop_back();
    autoescape_on_ = saved_on;
    autoescape_volatile_ = saved_volatile;
    return EndBlock(std::move(s));
  }

  StmtPtr ParseWith(StmtPtr s) {
    s->kind = StmtKind::kWith;
    std::vector<ExprPtr> targets;
    while (Cur().type != TokenType::kBlockEnd) {
      if (!s->assignments.empty()) ExpectOp(",");
      ExprPtr target = ParseAssignTarget(true, false, {}, false);
      ExpectOp("=");
      ExprPtr value = ParseExpression(true);
      s->assignments.emplace_back(std::move(target), std::move(value));
    }
    bound_.emplace_back();
    for (const auto& [target, value] : s->assignments) BindTarget(*target);
    {
      SoftScope inner(*this, false);
      s->body = ParseStatements({"endwith"}, true, "with");
    }
    bound_.pop_back();
    return EndBlock(std::move(s));
  }

  // ---- expressions ------------------------------------------------------------------
  ExprPtr ParseAssignTarget(bool with_tuple, bool name_only, const std::vector<std::string_view>& extra_end,
                            bool with_namespace) {
    const Token& at = Cur();
    ExprPtr target;
    if (with_namespace && Cur().type == TokenType::kName && Peek().type == TokenType::kOperator &&
        Peek().value == "." && Peek(2).type == TokenType::kName) {
      target = NewExpr(ExprKind::kAttr, at);
      auto ns = NewExpr(ExprKind::kName, at);
      ns->name = Next().value;
      ns->slot = SlotOf(ns->name);
      NoteRead(ns->name);
      Next();
      target->name = Next().value;
      Adopt(*target, std::move(ns));
      return target;
    }
    if (name_only || !with_tuple) {
      if (Cur().type != TokenType::kName) ExpectFail("name");
      target = NameExpr(Next());
    } else {
      in_target_ = true;
      target = ParseTuple(true, true, extra_end, false);
      in_target_ = false;
    }
    CheckAssignable(*target, at);
    return target;
  }

  void CheckAssignable(const Expr& target, const Token& at) {
    if (target.kind == ExprKind::kName) {
      if (target.name == "true" || target.name == "false" || target.name == "none" || target.name == "True" ||
          target.name == "False" || target.name == "None") {
        Fail(at, "Can't assign to '" + target.name + "'");
      }
      return;
    }
    if (target.kind == ExprKind::kTuple) {
      for (const auto& child : target.children) CheckAssignable(*child, at);
      return;
    }
    Fail(at, "can't assign to '" + std::string(target.kind == ExprKind::kConst ? "Const" : "expression") + "'");
  }

  ExprPtr NameExpr(const Token& t) {
    auto e = NewExpr(ExprKind::kName, t);
    e->name = t.value;
    e->slot = SlotOf(t.value);
    return e;
  }

  bool IsTupleEnd(const std::vector<std::string_view>& extra_end) const {
    const Token& t = Cur();
    if (t.type == TokenType::kVariableEnd || t.type == TokenType::kBlockEnd || t.type == TokenType::kEof) return true;
    if (t.type == TokenType::kOperator && t.value == ")") return true;
    if (t.type == TokenType::kName) {
      for (auto e : extra_end) {
        if (t.value == e) return true;
      }
    }
    return false;
  }

  ExprPtr ParseTuple(bool simplified, bool with_condexpr, const std::vector<std::string_view>& extra_end,
                     bool explicit_parentheses) {
    const Token& at = Cur();
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty()) ExpectOp(",");
      if (IsTupleEnd(extra_end)) break;
      if (simplified) {
        items.push_back(ParsePrimary());
      } else {
        items.push_back(ParseExpression(with_condexpr));
      }
      if (IsOp(",")) {
        is_tuple = true;
      } else {
        break;
      }
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parentheses) Fail(Cur(), "Expected an expression, got '" + DescribeToken(Cur()) + "'");
    }
    auto e = NewExpr(ExprKind::kTuple, at);
    for (auto& item : items) Adopt(*e, std::move(item));
    return e;
  }

  ExprPtr ParseExpression(bool with_condexpr) {
    if (with_condexpr) return ParseCondExpr();
    return ParseOr();
  }

  ExprPtr ParseCondExpr() {
    const size_t first_unresolved = unresolved_.size();
    ExprPtr expr1 = ParseOr();
    while (IsName("if")) {
      const Token& at = Next();
      for (size_t i = first_unresolved; i < unresolved_.size(); ++i) unresolved_[i].soft = true;
      SoftScope soft(*this, true);
      ExprPtr expr2 = ParseOr();
      ExprPtr expr3;
      if (SkipName("else")) expr3 = ParseCondExpr();
      auto e = NewExpr(ExprKind::kCond, at);
      Adopt(*e, std::move(expr2));  // test
      Adopt(*e, std::move(expr1));  // then
      Adopt(*e, std::move(expr3));  // else (may be null)
      expr1 = std::move(e);
    }
    return expr1;
  }

  ExprPtr ParseOr() {
    NestingGuard guard(*this, Cur());
    ExprPtr left = ParseAnd();
    while (IsName("or")) {
      const Token& at = Next();
      auto e = NewExpr(ExprKind::kOr, at);
      Adopt(*e, std::move(left));
      Adopt(*e, ParseAnd());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (IsName("and")) {
      const Token& at = Next();
      auto e = NewExpr(ExprKind::kAnd, at);
      Adopt(*e, std::move(left));
      Adopt(*e, ParseNot());
      left = std::move(e);
    }
    return left;
  }

  ExprPtr ParseNot() {
    NestingGuard guard(*this, Cur());
    if (IsName("not")) {
      const Token& at = Next();
      auto e = NewExpr(ExprKind::kNot, at);
      Adopt(*e, ParseNot());
      return e;
    }
    return ParseCompare();
  }

  ExprPtr ParseCompare() {
    const Token& at = Cur();
    ExprPtr expr = ParseMath1();
    std::vector<CmpOp> ops;
    std::vector<ExprPtr> operands;
    while (true) {
      CmpOp op;
      if (IsOp("==")) op = CmpOp::kEq;
      else if (IsOp("!=")) op = CmpOp::kNe;
      else if (IsOp("<")) op = CmpOp::kLt;
      else if (IsOp("<=")) op = CmpOp::kLe;
      else if (IsOp(">")) op = CmpOp::kGt;
      else if (IsOp(">=")) op = CmpOp::kGe;
      else if (IsName("in")) op = CmpOp::kIn;
      else if (IsName("not") && Peek().type == TokenType::kName && Peek().value == "in") {
        Next();
        op = CmpOp::kNotIn;
      } else {
        break;
      }
      Next();
      ops.push_back(op);
      operands.push_back(ParseMath1());
    }
    if (ops.empty()) return expr;
    auto e = NewExpr(ExprKind::kCompare, at);
    Adopt(*e, std::move(expr));
    for (auto& o : operands) Adopt(*e, std::move(o));
    e->ops = std::move(ops);
    return e;
  }

  ExprPtr Binary(BinOp op, ExprPtr left, ExprPtr right, const Token& at) {
    auto e = NewExpr(ExprKind::kBinary, at);
    e->bin_op = op;
    Adopt(*e, std::move(left));
    Adopt(*e, std::move(right));
    return e;
  }

  ExprPtr ParseMath1() {
    ExprPtr left = ParseConcat();
    while (IsOp("+") || IsOp("-")) {
      const Token& at = Next();
      left = Binary(at.value == "+" ? BinOp::kAdd : BinOp::kSub, std::move(left), ParseConcat(), at);
    }
    return left;
  }

  ExprPtr ParseConcat() {
    const Token& at = Cur();
    ExprPtr first = ParseMath2();
    if (!IsOp("~")) return first;
    auto e = NewExpr(ExprKind::kConcat, at);
    // markup_join when autoescape is on while compiling (and not volatile), else str_join.
    e->escape = !autoescape_volatile_ && autoescape_on_ ? EscapeMode::kOn : EscapeMode::kOff;
    Adopt(*e, std::move(first));
    while (SkipOp("~")) Adopt(*e, ParseMath2());
    return e;
  }

  ExprPtr ParseMath2() {
    ExprPtr left = ParsePow();
    while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
      const Token& at = Next();
      BinOp op = at.value == "*" ? BinOp::kMul : at.value == "/" ? BinOp::kDiv : at.value == "//" ? BinOp::kFloorDiv : BinOp::kMod;
      left = Binary(op, std::move(left), ParsePow(), at);
    }
    return left;
  }

  ExprPtr ParsePow() {
    ExprPtr left = ParseUnary(true);
    while (IsOp("**")) {
      const Token& at = Next();
      left = Binary(BinOp::kPow, std::move(left), ParseUnary(true), at);
    }
    return left;
  }

  ExprPtr ParseUnary(bool with_filter) {
    NestingGuard guard(*this, Cur());
    const Token& at = Cur();
    ExprPtr node;
    if (IsOp("-") || IsOp("+")) {
      Next();
      node = NewExpr(at.value == "-" ? ExprKind::kNeg : ExprKind::kPos, at);
      Adopt(*node, ParseUnary(false));
    } else {
      node = ParsePrimary();
    }
    node = ParsePostfix(std::move(node));
    if (with_filter) node = ParseFilterExpr(std::move(node));
    return node;
  }

  ExprPtr ParsePrimary() {
    const Token& t = Cur();
    switch (t.type) {
      case TokenType::kName: {
        Next();
        if (t.value == "true" || t.value == "True") return Const(t, Value::Bool(true));
        if (t.value == "false" || t.value == "False") return Const(t, Value::Bool(false));
        if (t.value == "none" || t.value == "None") return Const(t, Value::None());
        NoteRead(t.value);
        return NameExpr(t);
      }
      case TokenType::kString: {
        std::string text = Next().value;
        while (Cur().type == TokenType::kString) text += Next().value;
        return Const(t, Value::String(std::move(text)));
      }
      case TokenType::kInteger: {
        Next();
        std::string digits;
        for (char c : t.value) {
          if (c != '_') digits.push_back(c);
        }
        int base = 10;
        size_t skip = 0;
        if (digits.size() > 1 && digits[0] == '0' && std::isalpha(static_cast<unsigned char>(digits[1]))) {
          const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(digits[1])));
          base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
          skip = 2;
        }
        int64_t v = 0;
        auto res = std::from_chars(digits.data() + skip, digits.data() + digits.size(), v, base);
        if (res.ec == std::errc::result_out_of_range) {
          Fail(t, "integer overflow: " + t.value + " does not fit in 64 bits (tunepack's integers are 64-bit)");
        }
        if (res.ec != std::errc()) return Const(t, Value::Float(std::strtod(digits.c_str(), nullptr)));
        return Const(t, Value::Int(v));
      }
      case TokenType::kFloat: {
        Next();
        std::string digits;
        for (char c : t.value) {
          if (c != '_') digits.push_back(c);
        }
        return Const(t, Value::Float(std::strtod(digits.c_str(), nullptr)));
      }
      case TokenType::kOperator:
        if (t.value == "(") {
          Next();
          ExprPtr e = ParseTuple(false, true, {}, true);
          ExpectOp(")");
          return e;
        }
        if (t.value == "[") return ParseList();
        if (t.value == "{") return ParseDict();
        break;
      default: break;
    }
    if (t.type == TokenType::kEof) Fail(t, "unexpected end of template");
    Fail(t, "unexpected '" + DescribeToken(t) + "'");
  }

  ExprPtr Const(const Token& t, Value v) {
    auto e = NewExpr(ExprKind::kConst, t);
    e->value = std::move(v);
    return e;
  }

  ExprPtr ParseList() {
    auto e = NewExpr(ExprKind::kList, Next());
    while (!IsOp("]")) {
      if (!e->children.empty()) ExpectOp(",");
      if (IsOp("]")) break;
      Adopt(*e, ParseExpression(true));
    }
    ExpectOp("]");
    return e;
  }

  ExprPtr ParseDict() {
    auto e = NewExpr(ExprKind::kDict, Next());
    while (!IsOp("}")) {
      if (!e->children.empty()) ExpectOp(",");
      if (IsOp("}")) break;
      Adopt(*e, ParseExpression(true));
      ExpectOp(":");
      Adopt(*e, ParseExpression(true));
    }
    ExpectOp("}");
    return e;
  }

  ExprPtr ParsePostfix(ExprPtr node) {
    while (true) {
      if (IsOp(".") || IsOp("[")) {
        node = ParseSubscript(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr ParseFilterExpr(ExprPtr node) {
    while (true) {
      if (IsOp("|")) {
        node = ParseFilterChain(std::move(node), false);
      } else if (IsName("is")) {
        node = ParseTest(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr ParseSubscript(ExprPtr node) {
    const Token& t = Next();
    if (t.value == ".") {
      const Token& attr = Cur();
      if (attr.type == TokenType::kName) {
        Next();
        auto e = NewExpr(ExprKind::kAttr, t);
        e->name = attr.value;
        e->not_dict_method = !IsDictMethodName(e->name);
        Adopt(*e, std::move(node));
        return e;
      }
      if (attr.type != TokenType::kInteger) Fail(attr, "expected name or number");
      auto e = NewExpr(ExprKind::kItem, t);
      Adopt(*e, std::move(node));
      Adopt(*e, ParsePrimary());
      return e;
    }
    // '[': subscripts separated by commas form a tuple key.
    std::vector<ExprPtr> args;
    while (!IsOp("]")) {
      if (!args.empty()) {
        ExpectOp(",");
        if (IsOp("]")) break;
      }
      args.push_back(ParseSubscribed());
    }
    ExpectOp("]");
    ExprPtr key;
    if (args.size() == 1) {
      key = std::move(args[0]);
    } else {
      key = NewExpr(ExprKind::kTuple, t);
      for (auto& arg : args) Adopt(*key, std::move(arg));
    }
    if (key->kind == ExprKind::kSlice) {
      Raise(*key, *node);
      key->children.insert(key->children.begin(), std::move(node));
      return key;
    }
    auto e = NewExpr(ExprKind::kItem, t);
    Adopt(*e, std::move(node));
    Adopt(*e, std::move(key));
    return e;
  }

  // Parses `expr` or a slice `[start]:[stop][:[step]]`; a slice is returned as kSlice with
  // children start, stop, step (the object is inserted by the caller).
  ExprPtr ParseSubscribed() {
    const Token& at = Cur();
    ExprPtr start;
    if (!IsOp(":")) {
      ExprPtr e = ParseExpression(true);
      if (!IsOp(":")) return e;
      start = std::move(e);
    }
    Next();  // ':'
    ExprPtr stop, step;
    if (!IsOp("]") && !IsOp(",") && !IsOp(":")) stop = ParseExpression(true);
    if (SkipOp(":")) {
      if (!IsOp("]") && !IsOp(",")) step = ParseExpression(true);
    }
    auto slice = NewExpr(ExprKind::kSlice, at);
    Adopt(*slice, std::move(start));
    Adopt(*slice, std::move(stop));
    Adopt(*slice, std::move(step));
    return slice;
  }

  std::unique_ptr<ArgList> ParseCallArgs() {
    auto args = std::make_unique<ArgList>();
    ExpectOp("(");
    bool first = true;
    while (!IsOp(")")) {
      if (!first) {
        ExpectOp(",");
        if (IsOp(")")) break;
      }
      first = false;
      if (SkipOp("*")) {
        args->star = ParseExpression(true);
      } else if (SkipOp("**")) {
        args->star_star = ParseExpression(true);
      } else if (Cur().type == TokenType::kName && Peek().type == TokenType::kOperator && Peek().value == "=") {
        std::string key = Next().value;
        Next();
        args->kw.emplace_back(std::move(key), ParseExpression(true));
      } else {
        if (!args->kw.empty()) Fail(Cur(), "Invalid argument syntax");
        args->pos.push_back(ParseExpression(true));
      }
    }
    ExpectOp(")");
    return args;
  }

  ExprPtr ParseCall(ExprPtr node) {
    auto e = NewExpr(ExprKind::kCall, Cur());
    e->args = ParseCallArgs();
    Adopt(*e, std::move(node));
    AdoptArgs(*e);
    return e;
  }

  std::string ParseDottedName() {
    if (Cur().type != TokenType::kName) ExpectFail("name");
    std::string name = Next().value;
    while (IsOp(".")) {
      Next();
      if (Cur().type != TokenType::kName) ExpectFail("name");
      name += "." + Next().value;
    }
    return name;
  }

  // Parses `|f(args)|g...` (or, with `start_inline`, `f(args)|g...`).
  ExprPtr ParseFilterChain(ExprPtr node, bool start_inline) {
    while (IsOp("|") || start_inline) {
      if (!start_inline) Next();
      start_inline = false;
      const Token& at = Cur();
      auto e = NewExpr(ExprKind::kFilter, at);
      e->name = ParseDottedName();
      e->filter = FindFilter(e->name);
      if (e->filter == nullptr) unresolved_.push_back({e.get(), soft_, OrderOf(e->offset)});
      if (IsOp("(")) {
        e->args = ParseCallArgs();
      } else {
        e->args = std::make_unique<ArgList>();
      }
      Adopt(*e, std::move(node));
      AdoptArgs(*e);
      node = std::move(e);
    }
    return node;
  }

  ExprPtr ParseTest(ExprPtr node) {
    const Token& is_tok = Next();
    auto e = NewExpr(ExprKind::kTest, is_tok);
    if (SkipName("not")) e->negated = true;
    e->name = ParseDottedName();
    e->test = FindTest(e->name);
    if (e->test == nullptr) unresolved_.push_back({e.get(), soft_, OrderOf(e->offset)});
    const Token& c = Cur();
    if (IsOp("(")) {
      e->args = ParseCallArgs();
    } else if ((c.type == TokenType::kName || c.type == TokenType::kString || c.type == TokenType::kInteger ||
                c.type == TokenType::kFloat || IsOp("(") || IsOp("[") || IsOp("{")) &&
               !IsName("else") && !IsName("or") && !IsName("and")) {
      if (IsName("is")) Fail(c, "You cannot chain multiple tests with is");
      e->args = std::make_unique<ArgList>();
      e->args->pos.push_back(ParsePostfix(ParsePrimary()));
    } else {
      e->args = std::make_unique<ArgList>();
    }
    Adopt(*e, std::move(node));
    AdoptArgs(*e);
    return e;
  }

  const std::vector<Token>& tokens_;
  internal::Program& program_;
  size_t idx_ = 0;
  std::vector<std::set<std::string>> bound_;
  std::vector<std::string> block_stack_;
  int loop_depth_ = 0;
  int macro_depth_ = 0;
  // Jinja2's compile-time eval context: autoescape set by a literal {% autoescape %}, and
  // volatile once a non-literal one is entered (then output checks the setting at run time).
  bool autoescape_on_ = false;
  bool autoescape_volatile_ = false;
  // How the output of `expr` (or a block's) is escaped here: a literal is escaped, or not,
  // while compiling even in volatile mode.
  EscapeMode OutputEscape(const Expr* expr) const {
    if (autoescape_volatile_ && (expr == nullptr || expr->kind != ExprKind::kConst)) return EscapeMode::kVolatile;
    return autoescape_on_ ? EscapeMode::kOn : EscapeMode::kOff;
  }
  int nesting_ = 0;  ///< current depth of NestingGuards
  bool soft_ = false;  ///< inside an `if`: unknown filters and tests fail only when run
  // Unresolved: an unknown filter or test, whether it is soft (fails only when run), and
  // when the compiler reaches it.
  struct Unresolved {
    Expr* expr;
    bool soft;
    CompileOrder order;
  };
  std::vector<Unresolved> unresolved_;
  bool in_target_ = false;
  std::vector<uint32_t> block_numbers_{0};  ///< the {% block %}s being parsed, innermost last
  uint32_t blocks_seen_ = 0;
  std::vector<CompileOrder> for_orders_;  ///< the {% for %} statements being parsed, outermost first
  // The earliest assignment to `loop` inside a for loop: when the outermost loop is compiled
  // and the name's offset, or none.
  std::optional<std::pair<CompileOrder, uint32_t>> loop_store_;
};

}  // namespace

void ParseProgram(const std::vector<Token>& tokens, internal::Program& program) {
  Parser(tokens, program).Run();
}

}  // namespace tunepack::jinja
