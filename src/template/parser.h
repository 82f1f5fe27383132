// Parser: tokens to the syntax tree, following the grammar and error wording of
// jinja2/parser.py (3.1). Filters and tests are resolved here, so an unknown name is a
// syntax error as in Jinja2 ("No filter named 'x'.").
#pragma once

#include <string_view>
#include <vector>

#include "template/ast.h"
#include "template/lexer.h"

namespace tunepack::jinja {

// Fills `program` (body, slots, referenced names) from `tokens`; throws RenderError with
// an offset on a syntax error.
void ParseProgram(const std::vector<Token>& tokens, internal::Program& program);

// Returns the filter or test registered under `name`, or nullptr (filters.cc, is_tests.cc).
const FilterEntry* FindFilter(std::string_view name);
const TestEntry* FindTest(std::string_view name);

}  // namespace tunepack::jinja
