// Follows jinja2/lexer.py (3.1): the root state finds the next `{{`, `{%` or `{#`; text
// before a block or comment tag is right-stripped on `-` or, with lstrip_blocks, stripped of
// the spaces and tabs that start its line; `-%}` eats all following whitespace and, with
// trim_blocks, `%}` eats one following newline.
#include "template/lexer.h"

#include <cstring>

#include "template/object.h"
#include "template/pystr.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

bool IsSpaceAscii(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Python's str.rstrip(): removes trailing whitespace code points.
std::string_view RStripPy(std::string_view text) {
  size_t end = text.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    size_t probe = start;
    if (!IsPySpace(DecodeUtf8(text, probe))) break;
    end = start;
  }
  return text.substr(0, end);
}

// Skips Python `\s*` (Unicode whitespace) from `pos`.
size_t SkipPySpace(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    size_t next = pos;
    if (!IsPySpace(DecodeUtf8(text, next))) break;
    pos = next;
  }
  return pos;
}

// Decodes a string literal body the way Python's "unicode-escape" codec does.
std::string DecodeStringLiteral(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out.push_back(c);
      continue;
    }
    char e = body[++i];
    auto hex = [&](size_t digits) -> bool {
      uint32_t cp = 0;
      for (size_t k = 1; k <= digits; ++k) {
        if (i + k >= body.size()) return false;
        char h = body[i + k];
        cp <<= 4;
        if (h >= '0' && h <= '9') cp |= h - '0';
        else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
        else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
        else return false;
      }
      if (cp > 0x10FFFF) return false;
      AppendUtf8(cp, out);
      i += digits;
      return true;
    };
    switch (e) {
      case '\n': break;  // line continuation
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x':
        if (!hex(2)) Throw("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\xXX escape");
        break;
      case 'u':
        if (!hex(4)) Throw("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\uXXXX escape");
        break;
      case 'U':
        if (!hex(8)) Throw("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\UXXXXXXXX escape");
        break;
      default:
        if (e >= '0' && e <= '7') {
          uint32_t cp = e - '0';
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7'; ++k) {
            cp = cp * 8 + (body[++i] - '0');
          }
          AppendUtf8(cp, out);
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
    }
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view source, const TemplateOptions& options) : src_(source), opt_(options) {}

  std::vector<Token> Run() {
    while (pos_ < src_.size()) {
      const size_t open = FindTagStart(pos_);
      if (open == std::string_view::npos) {
        Emit(TokenType::kData, pos_, std::string(src_.substr(pos_)));
        break;
      }
      std::string_view text = src_.substr(pos_, open - pos_);
      const char kind = src_[open + 1];
      size_t after = open + 2;
      char sign = 0;
      if (after < src_.size() && (src_[after] == '-' || src_[after] == '+')) sign = src_[after++];
      const bool raw = kind == '%' && IsRawTag(after, "raw");
      text = ApplyLeftControl(text, sign, kind != '{');
      if (!text.empty()) Emit(TokenType::kData, pos_, std::string(text));
      if (raw) {
        LexRaw(open, after);
      } else if (kind == '#') {
        LexComment(open, after);
      } else {
        LexTag(open, after, kind);
      }
    }
    Emit(TokenType::kEof, static_cast<uint32_t>(src_.size()), "");
    return std::move(tokens_);
  }

 private:
  size_t FindTagStart(size_t from) const {
    while (true) {
      const size_t hit = src_.find('{', from);
      if (hit == std::string_view::npos || hit + 1 >= src_.size()) return std::string_view::npos;
      const char next = src_[hit + 1];
      if (next == '{' || next == '%' || next == '#') return hit;
      from = hit + 1;
    }
  }

  // True when src_[pos..] is `\s*<word>\s*(-%}|%})` (the tag name of raw/endraw).
  bool IsRawTag(size_t pos, std::string_view word) const {
    pos = SkipPySpace(src_, pos);
    if (src_.compare(pos, word.size(), word) != 0) return false;
    pos = SkipPySpace(src_, pos + word.size());
    return src_.compare(pos, 2, "%}") == 0 || src_.compare(pos, 3, "-%}") == 0 ||
           (word == "endraw" && src_.compare(pos, 3, "+%}") == 0);
  }

  std::string_view ApplyLeftControl(std::string_view text, char sign, bool block_like) const {
    if (sign == '-') return RStripPy(text);
    if (sign == '+' || !opt_.lstrip_blocks || !block_like) return text;
    const size_t nl = text.rfind('\n');
    const size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
    if (line_start == 0 && !line_starting_) return text;
    for (size_t i = line_start; i < text.size(); ++i) {
      if (text[i] != ' ' && text[i] != '\t') return text;
    }
    return text.substr(0, line_start);
  }

  // Consumes a block end at pos_ (`+%}`, `-%}\s*`, or `%}` plus an optional newline under
  // trim_blocks) and records whether it ended a line.
  void ConsumeBlockEnd(size_t at, char sign) {
    size_t end = at + 2;
    if (sign == '-') {
      end = SkipPySpace(src_, end);
    } else if (sign != '+' && opt_.trim_blocks && end < src_.size() && src_[end] == '\n') {
      ++end;
    }
    line_starting_ = end > 0 && src_[end - 1] == '\n';
    pos_ = end;
  }

  void LexComment(size_t open, size_t after) {
    const size_t close = src_.find("#}", after);
    if (close == std::string_view::npos) Fail(open, "Missing end of comment tag");
    char sign = 0;
    if (close > after && (src_[close - 1] == '-' || src_[close - 1] == '+')) sign = src_[close - 1];
    ConsumeBlockEnd(close, sign);
  }

  void LexRaw(size_t open, size_t after) {
    // Skip to the end of `raw -%}` / `raw %}` (no trim_blocks newline here, as Jinja2).
    size_t pos = SkipPySpace(src_, SkipPySpace(src_, after) + 3);
    if (src_[pos] == '-') {
      pos = SkipPySpace(src_, pos + 3);
    } else {
      pos += 2;
    }
    size_t search = pos;
    while (true) {
      const size_t tag = src_.find("{%", search);
      if (tag == std::string_view::npos) Fail(open, "Missing end of raw directive");
      size_t name_pos = tag + 2;
      char sign = 0;
      if (name_pos < src_.size() && (src_[name_pos] == '-' || src_[name_pos] == '+')) sign = src_[name_pos++];
      if (!IsRawTag(name_pos, "endraw")) {
        search = tag + 2;
        continue;
      }
      std::string_view text = ApplyLeftControl(src_.substr(pos, tag - pos), sign, true);
      if (!text.empty()) Emit(TokenType::kData, static_cast<uint32_t>(pos), std::string(text));
      size_t end = SkipPySpace(src_, SkipPySpace(src_, name_pos) + 6);
      char end_sign = 0;
      if (src_[end] == '-' || src_[end] == '+') end_sign = src_[end++];
      ConsumeBlockEnd(end, end_sign);
      return;
    }
  }

  void LexTag(size_t open, size_t after, char kind) {
    const bool block = kind == '%';
    Emit(block ? TokenType::kBlockBegin : TokenType::kVariableBegin, open, "");
    std::vector<char> balance;
    size_t pos = after;
    while (true) {
      while (pos < src_.size() && IsSpaceAscii(src_[pos])) ++pos;
      if (pos >= src_.size()) {
        Fail(open, block ? "unexpected end of template, expected 'end of statement block'."
                         : "unexpected end of template, expected 'end of print statement'.");
      }
      if (balance.empty()) {
        if (block) {
          char sign = 0;
          size_t at = pos;
          if ((src_[pos] == '-' || src_[pos] == '+') && src_.compare(pos + 1, 2, "%}") == 0) sign = src_[at++];
          if (src_.compare(at, 2, "%}") == 0) {
            Emit(TokenType::kBlockEnd, static_cast<uint32_t>(pos), "");
            ConsumeBlockEnd(at, sign);
            return;
          }
        } else {
          if (src_.compare(pos, 3, "-}}") == 0) {
            Emit(TokenType::kVariableEnd, static_cast<uint32_t>(pos), "");
            pos_ = SkipPySpace(src_, pos + 3);
            line_starting_ = pos_ > 0 && src_[pos_ - 1] == '\n';
            return;
          }
          if (src_.compare(pos, 2, "}}") == 0) {
            Emit(TokenType::kVariableEnd, static_cast<uint32_t>(pos), "");
            pos_ = pos + 2;
            line_starting_ = false;
            return;
          }
        }
      }
      pos = LexOne(pos, balance);
    }
  }

  size_t LexOne(size_t pos, std::vector<char>& balance) {
    const char c = src_[pos];
    if (IsNameStart(c)) {
      size_t end = pos + 1;
      while (end < src_.size() && IsNameChar(src_[end])) ++end;
      Emit(TokenType::kName, pos, std::string(src_.substr(pos, end - pos)));
      return end;
    }
    if (IsDigit(c)) {
      return LexNumber(pos);
    }
    if (c == '\'' || c == '"') {
      size_t end = pos + 1;
      while (end < src_.size() && src_[end] != c) {
        if (src_[end] == '\\') ++end;
        ++end;
      }
      if (end >= src_.size()) Fail(pos, std::string("unexpected char '") + c + "' at " + std::to_string(pos));
      Emit(TokenType::kString, pos, DecodeStringLiteral(src_.substr(pos + 1, end - pos - 1)));
      return end + 1;
    }
    static constexpr const char* kOps[] = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/",
                                           "%",  "~",  "[",  "]",  "(",  ")",  "{", "}", "<", ">",
                                           "=",  ".",  ":",  "|",  ",",  ";"};
    for (const char* op : kOps) {
      const size_t len = std::strlen(op);
      if (src_.compare(pos, len, op) != 0) continue;
      if (len == 1 && (c == '(' || c == '[' || c == '{')) {
        balance.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
      } else if (len == 1 && (c == ')' || c == ']' || c == '}')) {
        if (balance.empty()) Fail(pos, std::string("unexpected '") + c + "'");
        if (balance.back() != c) {
          Fail(pos, std::string("unexpected '") + c + "', expected '" + balance.back() + "'");
        }
        balance.pop_back();
      }
      Emit(TokenType::kOperator, pos, op);
      return pos + len;
    }
    size_t p = pos;
    std::string ch;
    AppendUtf8(DecodeUtf8(src_, p), ch);
    std::string repr;
    AppendPyStringRepr(ch, repr);
    Fail(pos, "unexpected char " + repr + " at " + std::to_string(pos));
  }

  size_t LexNumber(size_t pos) {
    size_t end = pos;
    bool is_float = false;
    auto digits = [&] {
      while (end < src_.size() && (IsDigit(src_[end]) || (src_[end] == '_' && end + 1 < src_.size() && IsDigit(src_[end + 1])))) ++end;
    };
    if (src_[pos] == '0' && end + 1 < src_.size() && std::strchr("xXoObB", src_[pos + 1]) != nullptr) {
      end = pos + 2;
      while (end < src_.size() && (std::isxdigit(static_cast<unsigned char>(src_[end])) || src_[end] == '_')) ++end;
      Emit(TokenType::kInteger, pos, std::string(src_.substr(pos, end - pos)));
      return end;
    }
    digits();
    // A number right after '.' is an item index ([[1]].0.0), never a float (Jinja2's float
    // pattern has a (?<!\.) lookbehind).
    const bool after_dot = pos > 0 && src_[pos - 1] == '.';
    if (after_dot) {
      Emit(TokenType::kInteger, pos, std::string(src_.substr(pos, end - pos)));
      return end;
    }
    if (end + 1 < src_.size() && src_[end] == '.' && IsDigit(src_[end + 1])) {
      is_float = true;
      ++end;
      digits();
    }
    if (end < src_.size() && (src_[end] == 'e' || src_[end] == 'E')) {
      size_t exp = end + 1;
      if (exp < src_.size() && (src_[exp] == '+' || src_[exp] == '-')) ++exp;
      if (exp < src_.size() && IsDigit(src_[exp])) {
        is_float = true;
        end = exp;
        digits();
      }
    }
    Emit(is_float ? TokenType::kFloat : TokenType::kInteger, pos, std::string(src_.substr(pos, end - pos)));
    return end;
  }

  void Emit(TokenType type, size_t offset, std::string value) {
    tokens_.push_back(Token{type, static_cast<uint32_t>(offset), std::move(value)});
  }

  [[noreturn]] void Fail(size_t offset, std::string message) {
    throw RenderError{std::move(message), StatusCode::kInvalidArgument, offset};
  }

  std::string_view src_;
  const TemplateOptions& opt_;
  size_t pos_ = 0;
  bool line_starting_ = true;
  std::vector<Token> tokens_;
};

}  // namespace

std::string NormalizeSource(std::string_view source, bool keep_trailing_newline) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out.push_back(source[i]);
    }
  }
  if (!keep_trailing_newline && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::vector<Token> Tokenize(std::string_view source, const TemplateOptions& options) {
  return Lexer(source, options).Run();
}

std::string DescribeToken(const Token& token) {
  switch (token.type) {
    case TokenType::kName:
    case TokenType::kOperator: return token.value;
    case TokenType::kData: return "template data / text";
    case TokenType::kVariableBegin: return "begin of print statement";
    case TokenType::kVariableEnd: return "end of print statement";
    case TokenType::kBlockBegin: return "begin of statement block";
    case TokenType::kBlockEnd: return "end of statement block";
    case TokenType::kString: return "string";
    case TokenType::kInteger: return "integer";
    case TokenType::kFloat: return "float";
    case TokenType::kEof: return "end of template";
  }
  return "?";
}

}  // namespace tunepack::jinja
