// The wordwrap filter: Jinja2 splits the text into lines (str.splitlines) and wraps each with
// textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False, break_long_words,
// break_on_hyphens), joining every line with `wrapstring`. This is Python 3.11's TextWrapper
// (its chunk regex, _wrap_chunks and _handle_long_word) over code points.
#include <algorithm>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/text_filters.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

using Text = std::u32string;

// textwrap's whitespace: only these six characters separate chunks.
bool IsWrapSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == 0x0C || c == '\r'; }
// \w of Python's re on str: letters, numbers and the underscore.
bool IsWord(char32_t c) { return IsPyWordChar(c); }
// [^\d\W]: a word character that is not a decimal digit.
bool IsLetter(char32_t c) { return IsWord(c) && !IsPyDecimal(c); }
// [\w!"'&.,?]
bool IsWordPunct(char32_t c) {
  return IsWord(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' || c == '?';
}

// True when text[at..] is two or more hyphens followed by a word character: (?=-{2,}\w).
bool DashesThenWord(const Text& text, size_t at) {
  size_t j = at;
  while (j < text.size() && text[j] == '-') ++j;
  return j - at >= 2 && j < text.size() && IsWord(text[j]);
}

// The end of the "word, possibly hyphenated" chunk starting at `i` (a non-space).
size_t WordEnd(const Text& text, size_t i) {
  auto letter_at = [&](size_t k) { return k < text.size() && IsLetter(text[k]); };
  for (size_t j = i + 1;; ++j) {
    // text[i..j) are non-spaces; try the three endings at j, in the regex's order.
    if (j < text.size() && text[j] == '-') {
      const bool behind = (j >= 2 && letter_at(j - 2) && letter_at(j - 1)) ||
                          (j >= 3 && letter_at(j - 3) && text[j - 2] == '-' && letter_at(j - 1));
      const bool ahead = letter_at(j + 1) && (letter_at(j + 2) || (j + 2 < text.size() && text[j + 2] == '-' && letter_at(j + 3)));
      if (behind && ahead) return j + 1;
    }
    if (j == text.size() || IsWrapSpace(text[j])) return j;
    if (IsWordPunct(text[j - 1]) && DashesThenWord(text, j)) return j;
  }
}

// TextWrapper._split: the chunks of `text` (runs of whitespace and words).
std::vector<Text> SplitChunks(const Text& text, bool break_on_hyphens) {
  std::vector<Text> chunks;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    if (IsWrapSpace(text[i])) {
      while (end < text.size() && IsWrapSpace(text[end])) ++end;
    } else if (!break_on_hyphens) {
      while (end < text.size() && !IsWrapSpace(text[end])) ++end;
    } else if (i > 0 && IsWordPunct(text[i - 1]) && DashesThenWord(text, i)) {
      while (end < text.size() && text[end] == '-') ++end;  // an em-dash between words
    } else {
      end = WordEnd(text, i);
    }
    chunks.push_back(text.substr(i, end - i));
    i = end;
  }
  return chunks;
}

// chunk.strip() == '' (str.strip removes any Unicode whitespace).
bool IsBlank(const Text& chunk) {
  for (char32_t c : chunk) {
    if (!IsPySpace(c)) return false;
  }
  return true;
}

struct WrapOptions {
  double width = 79;
  bool width_is_int = true;
  bool break_long_words = true;
  bool break_on_hyphens = true;
};

[[noreturn]] void ThrowSliceIndex() { Throw("slice indices must be integers or None or have an __index__ method"); }

// TextWrapper._handle_long_word.
void HandleLongWord(std::vector<Text>& reversed, std::vector<Text>& line, double cur_len, const WrapOptions& o) {
  const double space_left = o.width < 1 ? 1 : o.width - cur_len;
  if (o.break_long_words) {
    Text& chunk = reversed.back();
    if (!o.width_is_int && o.width >= 1) ThrowSliceIndex();
    size_t end = static_cast<size_t>(space_left);
    if (o.break_on_hyphens && static_cast<double>(chunk.size()) > space_left) {
      const size_t hyphen = end == 0 ? Text::npos : chunk.rfind(U'-', end - 1);
      if (hyphen != Text::npos && hyphen > 0) {
        bool other = false;
        for (size_t k = 0; k < hyphen; ++k) other |= chunk[k] != '-';
        if (other) end = hyphen + 1;
      }
    }
    line.push_back(chunk.substr(0, end));
    chunk.erase(0, std::min(end, chunk.size()));
  } else if (line.empty()) {
    line.push_back(std::move(reversed.back()));
    reversed.pop_back();
  }
}

// TextWrapper._wrap_chunks without indents, placeholder or max_lines.
std::vector<Text> WrapChunks(std::vector<Text> chunks, const WrapOptions& o) {
  std::vector<Text> lines;
  std::reverse(chunks.begin(), chunks.end());
  while (!chunks.empty()) {
    std::vector<Text> line;
    double cur_len = 0;
    if (IsBlank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      const double l = static_cast<double>(chunks.back().size());
      if (cur_len + l > o.width) break;
      line.push_back(std::move(chunks.back()));
      chunks.pop_back();
      cur_len += l;
    }
    if (!chunks.empty() && static_cast<double>(chunks.back().size()) > o.width) {
      HandleLongWord(chunks, line, cur_len, o);
    }
    if (!line.empty() && IsBlank(line.back())) line.pop_back();
    if (!line.empty()) {
      Text joined;
      for (const Text& c : line) joined += c;
      lines.push_back(std::move(joined));
    }
  }
  return lines;
}

Text Decode(std::string_view s) {
  Text out;
  size_t pos = 0;
  while (pos < s.size()) out.push_back(DecodeUtf8(s, pos));
  return out;
}

void Encode(const Text& t, std::string& out) {
  for (char32_t c : t) AppendUtf8(c, out);
}

std::string WidthRepr(const Value& width) {
  std::string out;
  AppendPyRepr(width, out);
  return out;
}

}  // namespace

Value DoWordwrap(Renderer& renderer, const Value& input, CallArgs& args) {
  if (input.is_undefined()) ThrowUndefined(input);
  if (!input.is_string()) Throw("'" + std::string(PyTypeName(input)) + "' object has no attribute 'splitlines'");
  WrapOptions o;
  static const Value kDefaultWidth = Value::Int(79);
  const Value* width = args.Get(0, "width");
  if (width == nullptr) width = &kDefaultWidth;
  if (width->is_int() || width->is_bool()) {
    o.width = static_cast<double>(width->is_bool() ? width->as_bool() : width->as_int());
  } else if (width->is_float()) {
    o.width = width->as_float();
    o.width_is_int = false;
  } else {
    Throw("'<=' not supported between instances of '" + std::string(PyTypeName(*width)) + "' and 'int'");
  }
  const Value* b = args.Get(1, "break_long_words");
  o.break_long_words = b == nullptr || b->Truthy();
  b = args.Get(3, "break_on_hyphens");
  o.break_on_hyphens = b == nullptr || b->Truthy();
  std::string wrapstring = "\n";
  if (const Value* w = args.Get(2, "wrapstring"); w != nullptr && !w->is_none()) {
    if (!w->is_string()) Throw("'" + std::string(PyTypeName(*w)) + "' object has no attribute 'join'");
    wrapstring = w->as_string();
  }
  std::string out;
  bool first_line = true;
  for (const std::string& line : PySplitLines(input.as_string(), false)) {
    if (!(o.width > 0)) Throw("invalid width " + WidthRepr(*width) + " (must be > 0)");
    if (!first_line) out += wrapstring;
    first_line = false;
    const std::vector<Text> wrapped = WrapChunks(SplitChunks(Decode(line), o.break_on_hyphens), o);
    for (size_t i = 0; i < wrapped.size(); ++i) {
      if (i > 0) out += wrapstring;
      Encode(wrapped[i], out);
      CheckValueBytes(out.size());
      renderer.Charge(1);
    }
  }
  return Value::String(std::move(out));
}

}  // namespace tunepack::jinja
