// The syntax tree the parser builds and the renderer walks. One fat node type for
// expressions and one for statements keep the tree compact and the walk a switch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tunepack/template/template.h"
#include "tunepack/template/value.h"

namespace tunepack::jinja {

class Renderer;
struct CallArgs;

// FilterFn: a filter applied to `input` with the given arguments; throws RenderError.
using FilterFn = Value (*)(Renderer& renderer, const Value& input, CallArgs& args);
// TestFn: an `is` test.
using TestFn = bool (*)(Renderer& renderer, const Value& input, CallArgs& args);

// Method: a str, list or dict method (methods.cc).
struct Method;
// MethodSet: the str, list and dict methods of one name (null where the type has none),
// found once for each obj.name(...) call in the template.
struct MethodSet {
  const Method* str = nullptr;
  const Method* list = nullptr;
  const Method* dict = nullptr;
};

struct FilterEntry {
  std::string name;
  FilterFn fn;
};
struct TestEntry {
  std::string name;
  TestFn fn;
};

enum class ExprKind : uint8_t {
  kConst, kName, kAttr, kItem, kSlice, kNeg, kPos, kNot, kBinary, kAnd, kOr, kCompare,
  kConcat, kCond, kFilter, kTest, kCall, kList, kTuple, kDict,
};
// Whether output is HTML-escaped where a statement or `~` is written: Jinja2 decides it when
// compiling for {% autoescape true/false %} (kOn, kOff) and while rendering for
// {% autoescape some_variable %} (kVolatile: the setting in force at that moment).
enum class EscapeMode : uint8_t { kOff, kOn, kVolatile };
// LoopField: an attribute of a for loop's `loop` that is a number or a truth value, read
// without looking its name up when the template names it directly (loop.index0, loop.last).
enum class LoopField : uint8_t { kNone, kIndex, kIndex0, kFirst, kLast, kLength, kRevindex, kRevindex0, kDepth, kDepth0 };
// Returns the field called `name`, or kNone.
LoopField LoopFieldNamed(std::string_view name);
enum class BinOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// AddChain: a chain of additions `a + b + c + ...` (additions nested on their left side),
// flattened once by CompileProgram, so that a render reads the operands in order instead of
// walking the nested nodes and working out again which operands must be copied.
struct AddChain {
  // At most this many operands: a longer chain's first operand is itself a chain.
  static constexpr size_t kMaxOperands = 32;
  std::vector<const Expr*> operands;  ///< left to right
  std::vector<uint32_t> offsets;      ///< offsets[k]: the source offset of the `+` adding operands[k]
  // Operands before this index are copied when read: a later operand runs a call, which may
  // modify the list or dict they live in.
  size_t copy_before = 0;
};

// ArgList: the unevaluated arguments of a call, filter or test.
struct ArgList {
  std::vector<ExprPtr> pos;
  std::vector<std::pair<std::string, ExprPtr>> kw;
  ExprPtr star;      ///< *args
  ExprPtr star_star; ///< **kwargs
  bool runs_no_call = false;  ///< set by CompileProgram: evaluating the arguments calls nothing
  // Returns true when there are no arguments at all.
  bool empty() const { return pos.empty() && kw.empty() && star == nullptr && star_star == nullptr; }
};

struct Expr {
  ExprKind kind;
  uint32_t offset = 0;  ///< byte offset in the (newline-normalised) source
  uint32_t height = 1;  ///< 1 + the height of its tallest operand (bounded by the parser)
  BinOp bin_op = BinOp::kAdd;
  bool negated = false;  ///< kTest: `is not`
  bool not_dict_method = false;  ///< kAttr: `name` is no dict method, so on a dict it is a key
  // kAttr `loop.<field>` (set by CompileProgram): the field, read directly when the object
  // is a loop (the variable may hold something else: `loop` outside a loop).
  LoopField loop_field = LoopField::kNone;
  // True when evaluating this expression calls no method or macro. Set by CompileProgram
  // (compile.cc); a node it did not see keeps false, the cautious answer (operands copied).
  bool runs_no_call = false;
  // kFilter, set by CompileProgram: the filter is `trim` with no argument, whose result on a
  // string is a piece of its input (read in place where the result is only written or added).
  bool trims_in_place = false;
  // kFilter, set by CompileProgram: the filter is `length` (or `count`) with no argument,
  // answered from the input read in place (`messages|length` in every loop iteration).
  bool counts_length = false;
  // kCompare, set by CompileProgram: one == or != against a string literal
  // (message['role'] == 'user'), decided by comparing the text when the left side is a string.
  bool compares_to_string = false;
  // kAttr that is called (obj.name(...)), set by CompileProgram: the methods called `name`.
  MethodSet methods;
  std::unique_ptr<AddChain> chain;  ///< kBinary kAdd, set by CompileProgram
  EscapeMode escape = EscapeMode::kOff;  ///< kConcat: markup_join (escaping) or str_join
  int slot = -1;         ///< kName: the variable's slot
  Value value;           ///< kConst
  std::string name;      ///< kName; kAttr attribute; kFilter / kTest name
  std::vector<CmpOp> ops;          ///< kCompare: one per operand after the first
  std::vector<ExprPtr> children;   ///< operands; kSlice: object, start, stop, step (may be null)
  std::unique_ptr<ArgList> args;   ///< kCall, kFilter, kTest
  const FilterEntry* filter = nullptr;
  const TestEntry* test = nullptr;
};

enum class StmtKind : uint8_t {
  kText, kOutput, kIf, kFor, kSet, kSetBlock, kMacro, kCallBlock, kFilterBlock, kWith,
  kBreak, kContinue, kGeneration, kBlock, kInclude, kImport, kFromImport, kAutoescape,
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// MacroDef: a {% macro %} (or the anonymous caller of a {% call %} block).
struct MacroDef {
  std::string name;
  std::vector<int> param_slots;
  std::vector<std::string> param_names;
  std::vector<ExprPtr> defaults;  ///< aligned with the last params
  Body body;
  int varargs_slot = -1, kwargs_slot = -1, caller_slot = -1;
  bool uses_varargs = false, uses_kwargs = false, uses_caller = false;
};

struct Stmt {
  StmtKind kind;
  uint32_t offset = 0;
  std::string text;                 ///< kText; kBlock name; kInclude etc: template name
  ExprPtr expr;                     ///< kOutput, kFor iterable, kSet value, kCallBlock call, kAutoescape
  ExprPtr target;                   ///< kFor / kSet / kSetBlock target (name, tuple, ns.attr)
  ExprPtr condition;                ///< kFor inline `if`
  ExprPtr filter;                   ///< kFilterBlock / kSetBlock filter chain (input null)
  std::vector<std::pair<ExprPtr, Body>> branches;  ///< kIf: condition (null for else), body
  Body body;
  Body else_body;
  std::shared_ptr<MacroDef> macro;  ///< kMacro, kCallBlock (the caller)
  std::vector<std::pair<ExprPtr, ExprPtr>> assignments;  ///< kWith targets and values
  bool ignore_missing = false, with_context = true;      ///< kInclude / kImport
  bool recursive = false;                                ///< kFor: `recursive` (loop(children))
  bool scoped = false, required = false;                 ///< kBlock: `scoped`, `required`
  EscapeMode escape = EscapeMode::kOff;  ///< kOutput, kFilterBlock, kSetBlock: autoescaping here
  std::vector<std::pair<std::string, std::string>> imports;  ///< kFromImport: name, alias
};

namespace internal {

struct Program;

// Library: the templates a root template's include, import and extends statements name,
// loaded from TemplateOptions::search_path and parsed when the root template is parsed.
struct Library {
  std::unordered_map<std::string, std::shared_ptr<const Program>> programs;  ///< by name
  std::vector<std::string> search_path;
  // Returns the template called `name`, or nullptr when it was not found or not loaded.
  const Program* Find(const std::string& name) const {
    auto it = programs.find(name);
    return it == programs.end() ? nullptr : it->second.get();
  }
};

// Program: a parsed template, shared by every copy of a Template.
struct Program {
  std::string name;
  std::string source;  ///< newline-normalised source, for error positions
  TemplateOptions options;
  Body body;
  std::vector<std::string> slot_names;  ///< variable name of each slot
  int loop_slot = -1;  ///< the slot of `loop`, or -1 when the template never reads it
  int self_slot = -1;  ///< the slot of `self`, or -1
  // The slots by name, open addressing on a hash of the name's length and first and last
  // bytes (-1: empty; the size is a power of two, at least twice the slot count): a render
  // looks up each variable of its context here (FindSlot), and most context keys are no
  // variable of the template, which this finds out without hashing the whole key.
  std::vector<int> slot_table;
  // Returns the slot of the variable `name`, or -1.
  int FindSlot(std::string_view name) const;
  // What each slot holds when the context does not set it: a built-in global (range,
  // namespace...) or an Undefined naming the variable. Built once per template.
  std::vector<Value> fallback_globals;
  std::vector<std::string> referenced;  ///< names read before being bound, first use order
  std::unordered_map<std::string, const Stmt*> blocks;  ///< {% block %} by name
  bool uses_extends = false;
  bool has_generation = false;  ///< holds a {% generation %} block
  // The root template's loaded templates (null without a search path); shared, read-only.
  std::shared_ptr<const Library> library;
};

// Returns the line and column of `offset` in the program's source.
std::string FormatPosition(const Program& program, size_t offset);

}  // namespace internal

}  // namespace tunepack::jinja
