// Lexer: splits template source into text and tag tokens the way Jinja2's lexer does,
// applying whitespace control (`-`, `+`, trim_blocks, lstrip_blocks), dropping comments and
// passing {% raw %} sections through as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/template/template.h"

namespace tunepack::jinja {

enum class TokenType : uint8_t {
  kData, kVariableBegin, kVariableEnd, kBlockBegin, kBlockEnd,
  kName, kString, kInteger, kFloat, kOperator, kEof,
};

struct Token {
  TokenType type;
  uint32_t offset;    ///< byte offset in the normalised source
  std::string value;  ///< text, name, decoded string literal, operator or number spelling
};

// Returns `source` with \r\n and \r turned into \n and, unless `keep_trailing_newline`,
// one final newline removed, as Jinja2 does before lexing.
std::string NormalizeSource(std::string_view source, bool keep_trailing_newline);

// Tokenizes normalised `source`; throws RenderError (with an offset) on a lexical error.
std::vector<Token> Tokenize(std::string_view source, const TemplateOptions& options);

// Returns how a token is named in "expected ..., got ..." messages, as Jinja2 does.
std::string DescribeToken(const Token& token);

}  // namespace tunepack::jinja
