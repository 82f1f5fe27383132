// CompileProgram: what can be decided about a template once, after parsing and before any
// render, so that no render decides it again: constant parts folded, output that is known
// while compiling turned into ready text, and facts about each expression the renderer
// would otherwise work out on every evaluation.
#pragma once

#include "template/ast.h"

namespace tunepack::jinja::internal {

// Rewrites `program`'s tree in place:
// - string literals added or joined with `~` next to each other become one literal
//   ('a' + 'b' is 'ab'; x + '\n' + '```' is x + '\n```': once the left side has added one
//   string, it is a string, so adding the next two at once gives the same text);
// - {{ literal }} becomes text (HTML-escaped where autoescaping is on), and adjacent text
//   merges into one piece, written with one append;
// - each obj.name(...) call holds the str, list and dict methods called `name`, found once;
// - each expression and argument list records whether evaluating it can call a method or
//   macro (Expr::runs_no_call), and each `trim` filter without arguments is marked, so the
//   renderer can read its result in place (Expr::trims_in_place);
// - each chain of additions holds its operands in order (Expr::chain), and each comparison
//   with a string literal is marked (Expr::compares_to_string).
void CompileProgram(Program& program);

}  // namespace tunepack::jinja::internal
