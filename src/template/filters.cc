// Jinja2's built-in filters (jinja2/filters.py, 3.1), one registry entry each. Argument
// names and defaults follow the Python signatures, so keyword calls work the same.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utf8proc.h>

#include "template/limits.h"
#include "template/parser.h"
#include "template/pystr.h"
#include "template/render.h"
#include "template/text_filters.h"
#include "tunepack/core/html_escape.h"
#include "tunepack/core/registry.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

const Value kNoneValue = Value::None();

const Value& Arg(const CallArgs& args, size_t i, std::string_view name, const Value& dflt) {
  const Value* v = args.Get(i, name);
  return v != nullptr ? *v : dflt;
}
int64_t IntArg(const CallArgs& args, size_t i, std::string_view name, int64_t dflt) {
  const Value* v = args.Get(i, name);
  if (v == nullptr || v->is_none()) return dflt;
  if (v->is_int()) return v->as_int();
  if (v->is_bool()) return v->as_bool();
  if (v->is_float()) return TruncateToInt(v->as_float());
  Throw("'" + std::string(PyTypeName(*v)) + "' object cannot be interpreted as an integer");
}
bool BoolArg(const CallArgs& args, size_t i, std::string_view name, bool dflt) {
  const Value* v = args.Get(i, name);
  return v == nullptr ? dflt : v->Truthy();
}

Value Str(std::string s) { return Value::String(std::move(s)); }
// Returns `s` as Markup when `input` is Markup: the str methods filters call on a Markup
// (upper, center, strip...) return Markup.
Value SameKind(const Value& input, std::string s) {
  return input.is_markup() ? Value::Markup(std::move(s)) : Value::String(std::move(s));
}

// Follows a dotted attribute path ("user.name", "0") as make_attrgetter does.
Value AttrPath(Renderer& r, Value item, const std::string& path) {
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      item = r.GetItem(item, Value::Int(std::stoll(part)));
    } else {
      item = r.GetItem(item, Value::String(part));
    }
    if (dot == std::string::npos) return item;
    start = dot + 1;
  }
}

// The sort key Jinja2 uses when case_sensitive is false: lower-cased strings.
Value CaseKey(const Value& v, bool case_sensitive) {
  if (!case_sensitive && v.is_string()) return Value::String(PyLower(v.as_string()));
  return v;
}

Value ItemKey(Renderer& r, const Value& item, const Value& attribute, bool case_sensitive) {
  Value v = item;
  if (attribute.is_string()) v = AttrPath(r, item, attribute.as_string());
  else if (attribute.is_int()) v = r.GetItem(item, attribute);
  return CaseKey(v, case_sensitive);
}


// Python float(str): optional whitespace, sign, digits, inf/nan; anything else fails.
bool ParsePyFloat(std::string text, double* out) {
  text = PyStrip(text, nullptr, true, true);
  std::string cleaned;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_' && i > 0 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) continue;
    cleaned.push_back(text[i]);
  }
  if (cleaned.empty()) return false;
  if (cleaned.find_first_of("xXpP") != std::string::npos) return false;
  char* end = nullptr;
  *out = std::strtod(cleaned.c_str(), &end);
  return end == cleaned.c_str() + cleaned.size();
}

// Returns false when `text` is no integer; throws when it is one too large for 64 bits.
bool ParsePyInt(std::string text, int base, int64_t* out) {
  text = PyStrip(text, nullptr, true, true);
  std::string cleaned;
  for (char c : text) {
    if (c != '_') cleaned.push_back(c);
  }
  if (cleaned.empty()) return false;
  size_t start = (cleaned[0] == '-' || cleaned[0] == '+') ? 1 : 0;
  if (start >= cleaned.size()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(cleaned.c_str(), &end, base);
  if (end != cleaned.c_str() + cleaned.size()) return false;
  if (errno == ERANGE) ThrowIntegerOverflow("int('" + text.substr(0, 40) + (text.size() > 40 ? "...')" : "')"));
  if (errno != 0) return false;
  *out = v;
  return true;
}

std::vector<Value> SelectOrReject(Renderer& r, const Value& input, CallArgs& args, bool attr_mode, bool select) {
  std::vector<Value> out;
  size_t next = 0;
  std::string attribute;
  if (attr_mode) {
    if (args.pos.empty()) Throw("Missing parameter for attribute name");
    attribute = PyStr(args.pos[0]);
    next = 1;
  }
  std::string test;
  CallArgs test_args;
  if (next < args.pos.size()) {
    test = PyStr(args.pos[next]);
    test_args.pos.assign(args.pos.begin() + next + 1, args.pos.end());
    test_args.kw = args.kw;
  }
  for (const auto& item : Iterate(input)) {
    Value subject = attr_mode ? AttrPath(r, item, attribute) : item;
    const bool pass = test.empty() ? subject.Truthy() : r.ApplyTest(test, subject, test_args);
    if (pass == select) out.push_back(item);
  }
  return out;
}

std::vector<Value> SortedItems(Renderer& r, const Value& input, bool reverse, bool case_sensitive, const Value& attribute) {
  std::vector<Value> items = Iterate(input);
  std::vector<std::pair<Value, Value>> keyed;
  keyed.reserve(items.size());
  for (auto& item : items) keyed.emplace_back(ItemKey(r, item, attribute, case_sensitive), item);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return reverse ? PyLess(b.first, a.first) : PyLess(a.first, b.first);
  });
  std::vector<Value> out;
  for (auto& [k, v] : keyed) out.push_back(std::move(v));
  return out;
}

Value MinMax(Renderer& r, const Value& input, CallArgs& args, bool want_max) {
  const bool case_sensitive = BoolArg(args, 0, "case_sensitive", false);
  const Value& attribute = Arg(args, 1, "attribute", kNoneValue);
  std::vector<Value> items = Iterate(input);
  if (items.empty()) return Value::UndefinedWith("No aggregated item, sequence was empty.");
  size_t best = 0;
  Value best_key = ItemKey(r, items[0], attribute, case_sensitive);
  for (size_t i = 1; i < items.size(); ++i) {
    Value key = ItemKey(r, items[i], attribute, case_sensitive);
    if (want_max ? PyLess(best_key, key) : PyLess(key, best_key)) {
      best = i;
      best_key = std::move(key);
    }
  }
  return items[best];
}

Value DoIndent(const Value& input, CallArgs& args) {
  // A copy: the default is a temporary, gone by the next line.
  const Value width = Arg(args, 0, "width", Value::Int(4));
  const bool first = BoolArg(args, 1, "first", false);
  const bool blank = BoolArg(args, 2, "blank", false);
  const int64_t spaces = width.is_int() ? std::max<int64_t>(0, width.as_int()) : 4;
  if (!width.is_string()) CheckValueBytes(static_cast<uint64_t>(spaces));
  std::string indention = width.is_string() ? width.as_string() : std::string(static_cast<size_t>(spaces), ' ');
  std::string s = PyStr(input) + "\n";  // Jinja2 appends a newline so splitlines keeps a trailing empty line
  std::vector<std::string> lines = PySplitLines(s, false);
  CheckValueBytes(s.size() + (lines.size() + 1) * static_cast<uint64_t>(indention.size()));
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) rv += "\n" + indention;
      rv += lines[i];
    }
  } else {
    rv = lines.empty() ? "" : lines[0];
    if (lines.size() > 1) {
      rv += "\n";
      for (size_t i = 1; i < lines.size(); ++i) {
        if (i > 1) rv += "\n";
        if (!lines[i].empty()) rv += indention;
        rv += lines[i];
      }
    }
  }
  if (first) rv = indention + rv;
  return SameKind(input, std::move(rv));
}

Value DoTruncate(const Value& input, CallArgs& args) {
  const std::string s = PyStr(input);
  const int64_t length = IntArg(args, 0, "length", 255);
  const bool killwords = BoolArg(args, 1, "killwords", false);
  const Value end_arg = Arg(args, 2, "end", Value::String("..."));
  const std::string end = PyStr(end_arg);
  // Markup + end escapes the end (its length is counted unescaped).
  const std::string appended = input.is_markup() && !end_arg.is_markup() ? EscapeHtml(end) : end;
  const int64_t leeway = IntArg(args, 3, "leeway", 5);
  const int64_t end_len = static_cast<int64_t>(CodePointCount(end));
  if (length < end_len) Throw("expected length >= " + std::to_string(end_len) + ", got " + std::to_string(length));
  if (leeway < 0) Throw("expected leeway >= 0, got " + std::to_string(leeway));
  std::vector<size_t> offs = CodePointOffsets(s);
  const int64_t n = static_cast<int64_t>(offs.size()) - 1;
  if (n - leeway <= length) return SameKind(input, s);
  const std::string head = s.substr(0, offs[static_cast<size_t>(length - end_len)]);
  if (killwords) return SameKind(input, head + appended);
  const size_t space = head.rfind(' ');
  return SameKind(input, (space == std::string::npos ? head : head.substr(0, space)) + appended);
}

// Returns 10**p as Python computes it for a float product: exactly rounded for p >= 0 (an
// int converted to float; past 10**308 Python raises OverflowError), pow() for p < 0.
double PowerOfTen(int64_t p) {
  if (p > 308) Throw("int too large to convert to float", StatusCode::kOutOfRange);
  if (p >= 0) return std::strtod(("1e" + std::to_string(p)).c_str(), nullptr);
  return std::pow(10.0, static_cast<double>(p));
}

// Python's round(x, n) for a float: the exact binary value rounded half-to-even to n
// decimal places (CPython's double_round); x itself past 323 places, a signed zero before
// -308.
double RoundFloat(double x, int64_t n) {
  if (!std::isfinite(x) || x == 0.0 || n > 323) return x;
  if (n < -308) return 0.0 * x;
  char buf[1500];
  if (n >= 0) {
    std::snprintf(buf, sizeof(buf), "%.*f", static_cast<int>(n), x);
    return std::strtod(buf, nullptr);
  }
  // A negative n keeps the digits down to 10**-n: round to that many significant digits.
  std::snprintf(buf, sizeof(buf), "%.16e", x);
  const int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  const int64_t significant = exponent + 1 + n;
  if (significant <= 0) {
    // |x| < 10**-n: it rounds to 0 or, past half of it, to 10**-n.
    const double unit = PowerOfTen(-n);
    const double magnitude = std::fabs(x) > unit / 2 && significant == 0 ? unit : 0.0;
    return std::copysign(magnitude, x);
  }
  std::snprintf(buf, sizeof(buf), "%.*e", static_cast<int>(significant - 1), x);
  return std::strtod(buf, nullptr);
}

// Python's round(i, n) for an int with n < 0: half-to-even to a multiple of 10**-n.
int64_t RoundInt(int64_t v, int64_t n) {
  if (n >= 0) return v;
  if (n < -19) return 0;
  __int128 unit = 1;
  for (int64_t k = 0; k < -n; ++k) unit *= 10;
  __int128 q = v / unit, r = v % unit;
  if (r < 0) {
    r += unit;
    --q;
  }
  if (2 * r > unit || (2 * r == unit && (q & 1) != 0)) ++q;
  const __int128 result = q * unit;
  if (result > INT64_MAX || result < INT64_MIN) ThrowIntegerOverflow("round(" + std::to_string(v) + ", " + std::to_string(n) + ")");
  return static_cast<int64_t>(result);
}

Value DoRound(const Value& input, CallArgs& args) {
  const int64_t precision = IntArg(args, 0, "precision", 0);
  const std::string method = PyStr(Arg(args, 1, "method", Value::String("common")));
  if (method != "common" && method != "ceil" && method != "floor") {
    Throw("method must be 'common', 'ceil' or 'floor'");
  }
  if (!input.is_number()) Throw("type " + std::string(PyTypeName(input)) + " doesn't define __round__ method");
  if (method == "common") {
    if (!input.is_float()) return Value::Int(RoundInt(input.is_bool() ? input.as_bool() : input.as_int(), precision));
    return Value::Float(RoundFloat(input.as_float(), precision));
  }
  // Jinja2: func(value * (10 ** precision)) / (10 ** precision).
  const double scale = PowerOfTen(precision);
  const double x = input.ToDouble() * scale;
  return Value::Float((method == "ceil" ? std::ceil(x) : std::floor(x)) / scale);
}

Value DoTitle(const Value& input) {
  // Jinja2's title filter splits on runs of whitespace, '-', '(', '{', '[' and '<' and
  // capitalises each piece; it differs from str.title() (no break after an apostrophe).
  const std::string s = PyStr(input);
  std::string out;
  bool at_word_start = true;
  size_t pos = 0;
  while (pos < s.size()) {
    const char32_t cp = DecodeUtf8(s, pos);
    const bool sep = IsPySpace(cp) || cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<';
    std::string ch;
    AppendUtf8(cp, ch);
    if (sep) {
      out += ch;
      at_word_start = true;
    } else if (at_word_start) {
      out += PyUpper(ch);
      at_word_start = false;
    } else {
      out += PyLower(ch);
    }
  }
  return Str(std::move(out));
}

Value DoWordcount(const Value& input) {
  const std::string s = PyStr(input);
  int64_t words = 0;
  bool in_word = false;
  size_t pos = 0;
  while (pos < s.size()) {
    const char32_t cp = DecodeUtf8(s, pos);
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    const bool word_char = cp == '_' || (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                           cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return Value::Int(words);
}

Value DoToJson(Renderer& r, const Value& input, CallArgs& args) {
  JsonDumpOptions o;
  const Value& indent = Arg(args, 0, "indent", kNoneValue);
  static const std::string kNoIndent;
  if (indent.is_int() || indent.is_bool()) {
    // json.dumps indents by ' ' * indent: a negative indent still breaks lines.
    const int64_t n = indent.is_bool() ? indent.as_bool() : indent.as_int();
    if (n < 0) {
      o.indent_str = &kNoIndent;
    } else {
      o.indent = n;
    }
  } else if (indent.is_string()) {
    o.indent_str = &indent.as_string();
  } else if (!indent.is_none()) {
    Throw("can't multiply sequence by non-int of type '" + std::string(PyTypeName(indent)) + "'");
  }
  if (o.indent >= 0 || o.indent_str != nullptr) o.item_separator = ",";
  if (r.options().transformers_tojson) {
    // transformers: json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
    // sort_keys=sort_keys).
    const Value& separators = Arg(args, 1, "separators", kNoneValue);
    if (separators.is_list() && separators.as_list().items.size() == 2) {
      o.item_separator = PyStr(separators.as_list().items[0]);
      o.key_separator = PyStr(separators.as_list().items[1]);
    }
    o.sort_keys = BoolArg(args, 2, "sort_keys", false);
  } else {
    // Jinja2: htmlsafe_json_dumps with sort_keys=True and the default ensure_ascii.
    o.sort_keys = true;
    o.ensure_ascii = true;
    o.html_safe = true;
  }
  // Jinja2's htmlsafe_json_dumps returns Markup; transformers' json.dumps a str.
  return r.options().transformers_tojson ? Str(JsonDumps(input, o)) : Value::Markup(JsonDumps(input, o));
}

Value DoStriptags(const Value& input) {
  const std::string s = PyStr(input);
  std::string no_tags;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t end = s.find("-->", i + 4);
      if (end != std::string::npos) {
        i = end + 2;
        continue;
      }
    }
    if (s[i] == '<') {
      const size_t end = s.find('>', i + 1);
      if (end != std::string::npos) {
        i = end;
        continue;
      }
    }
    no_tags.push_back(s[i]);
  }
  std::string collapsed;
  for (const auto& word : PySplit(no_tags, nullptr, -1)) {
    if (!collapsed.empty()) collapsed.push_back(' ');
    collapsed += word;
  }
  // Markup.striptags() then unescapes entities (html.unescape); the common ones and
  // numeric references are enough for text that went through escape().
  std::string out;
  for (size_t i = 0; i < collapsed.size(); ++i) {
    if (collapsed[i] == '&') {
      const size_t semi = collapsed.find(';', i);
      if (semi != std::string::npos && semi - i <= 10) {
        const std::string entity = collapsed.substr(i + 1, semi - i - 1);
        std::string rep;
        if (entity == "amp") rep = "&";
        else if (entity == "lt") rep = "<";
        else if (entity == "gt") rep = ">";
        else if (entity == "quot") rep = "\"";
        else if (entity == "apos") rep = "'";
        else if (entity == "nbsp") rep = "\xc2\xa0";
        else if (entity.size() > 1 && entity[0] == '#') {
          const bool hex = entity[1] == 'x' || entity[1] == 'X';
          const long cp = std::strtol(entity.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10);
          if (cp > 0 && cp <= 0x10FFFF) AppendUtf8(static_cast<char32_t>(cp), rep);
        }
        if (!rep.empty()) {
          out += rep;
          i = semi;
          continue;
        }
      }
    }
    out.push_back(collapsed[i]);
  }
  return Str(std::move(out));
}

// filesizeformat: "1.0 kB" (or "1.0 KiB" with binary=True), as Jinja2 words sizes.
Value DoFilesizeformat(const Value& input, CallArgs& args) {
  double bytes = 0;
  if (input.is_number()) {
    bytes = input.ToDouble();
  } else if (!input.is_string() || !ParsePyFloat(input.as_string(), &bytes)) {
    std::string repr;
    AppendPyRepr(input, repr);
    if (input.is_string()) Throw("could not convert string to float: " + repr);
    Throw("float() argument must be a string or a real number, not '" + std::string(PyTypeName(input)) + "'");
  }
  const bool binary = BoolArg(args, 0, "binary", false);
  const double base = binary ? 1024 : 1000;
  static const char* const kDecimal[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  static const char* const kBinary[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (bytes == 1) return Str("1 Byte");
  if (bytes < base) return Str(std::to_string(TruncateToInt(bytes)) + " Bytes");
  double unit = 0;
  const char* prefix = nullptr;
  for (int i = 0; i < 8; ++i) {
    // base ** (i + 2) as Python converts the exact integer to float.
    unit = binary ? std::ldexp(1.0, 10 * (i + 2)) : std::strtod(("1e" + std::to_string(3 * (i + 2))).c_str(), nullptr);
    prefix = binary ? kBinary[i] : kDecimal[i];
    if (bytes < unit) break;
  }
  char buf[400];
  std::snprintf(buf, sizeof(buf), "%.1f %s", base * bytes / unit, prefix);
  return Str(buf);
}

// xmlattr: ` key="value"` pairs, escaped, skipping None and undefined values.
Value DoXmlattr(const Value& input, CallArgs& args) {
  if (!input.is_dict()) Throw("'" + std::string(PyTypeName(input)) + "' object has no attribute 'items'");
  const bool autospace = BoolArg(args, 0, "autospace", true);
  std::string out;
  for (const auto& [key, value] : input.as_dict().items) {
    if (value.is_none() || value.is_undefined()) continue;
    if (!out.empty()) out += ' ';
    out += EscapeHtml(PyStr(key)) + "=\"" + EscapeHtml(PyStr(value)) + "\"";
  }
  if (autospace && !out.empty()) out.insert(0, " ");
  return Str(std::move(out));
}

// groupby: (grouper, list) pairs of the items sorted by `attribute`, equal keys together.
Value DoGroupby(Renderer& r, const Value& input, CallArgs& args) {
  const Value* attribute = args.Get(0, "attribute");
  if (attribute == nullptr) Throw("groupby() missing 1 required positional argument: 'attribute'");
  const Value* dflt = args.Get(1, "default");
  const bool case_sensitive = BoolArg(args, 2, "case_sensitive", false);
  auto key_of = [&](const Value& item, bool fold) {
    Value v = attribute->is_int() ? r.GetItem(item, *attribute) : AttrPath(r, item, PyStr(*attribute));
    if (v.is_undefined() && dflt != nullptr) v = *dflt;
    return fold ? CaseKey(v, false) : v;
  };
  std::vector<Value> items = Iterate(input);
  std::vector<std::pair<Value, Value>> keyed;
  keyed.reserve(items.size());
  for (auto& item : items) keyed.emplace_back(key_of(item, !case_sensitive), item);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return PyLess(a.first, b.first); });
  std::vector<Value> groups;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i;
    std::vector<Value> members;
    while (j < keyed.size() && PyEquals(keyed[j].first, keyed[i].first)) members.push_back(keyed[j++].second);
    // Without case_sensitive the grouper is the first member's own key, not the folded one.
    Value grouper = case_sensitive ? keyed[i].first : key_of(members.front(), false);
    Value group = Value::FromList({std::move(grouper), Value::FromList(std::move(members))}, true);
    group.as_list().view = List::View::kGroup;
    groups.push_back(std::move(group));
    i = j;
  }
  return Value::FromList(std::move(groups));
}

void RegisterBuiltinFilters(Registry<FilterEntry>& r) {
  auto add = [&](const char* name, FilterFn fn) { (void)r.Add(FilterEntry{name, fn}); };
  add("abs", [](Renderer&, const Value& v, CallArgs&) {
    if (v.is_int()) {
      if (v.as_int() == INT64_MIN) ThrowIntegerOverflow("abs(" + std::to_string(v.as_int()) + ")");
      return Value::Int(v.as_int() < 0 ? -v.as_int() : v.as_int());
    }
    if (v.is_bool()) return Value::Int(v.as_bool());
    if (v.is_float()) return Value::Float(std::fabs(v.as_float()));
    Throw("bad operand type for abs(): '" + std::string(PyTypeName(v)) + "'");
  });
  add("attr", [](Renderer& r, const Value& v, CallArgs& a) {
    const std::string name = PyStr(Arg(a, 0, "name", Value::String("")));
    if (v.is_object()) return v.as_object().GetAttr(name);
    if (HasMethod(v, name)) return r.GetAttr(v, name);
    return MissingAttribute(v, Value::String(name));
  });
  add("batch", [](Renderer&, const Value& v, CallArgs& a) {
    const int64_t count = IntArg(a, 0, "linecount", 1);
    if (count <= 0) Throw("batch size must be positive");
    const Value& fill = Arg(a, 1, "fill_with", kNoneValue);
    std::vector<Value> out, cur;
    for (auto& item : Iterate(v)) {
      cur.push_back(std::move(item));
      if (static_cast<int64_t>(cur.size()) == count) {
        out.push_back(Value::FromList(std::move(cur)));
        cur.clear();
      }
    }
    if (!cur.empty()) {
      if (!fill.is_none()) {
        CheckListItems(static_cast<uint64_t>(count));
        while (static_cast<int64_t>(cur.size()) < count) cur.push_back(fill);
      }
      out.push_back(Value::FromList(std::move(cur)));
    }
    return Value::FromList(std::move(out));
  });
  add("capitalize", [](Renderer&, const Value& v, CallArgs&) { return SameKind(v, PyCapitalize(PyStr(v))); });
  add("center", [](Renderer&, const Value& v, CallArgs& a) { return SameKind(v, PyCenter(PyStr(v), IntArg(a, 0, "width", 80), " ")); });
  FilterFn length = [](Renderer&, const Value& v, CallArgs&) { return Value::Int(PyLen(v)); };
  add("count", length);
  FilterFn dflt = [](Renderer&, const Value& v, CallArgs& a) {
    const bool boolean = BoolArg(a, 1, "boolean", false);
    if (v.is_undefined() || (boolean && !v.Truthy())) return Arg(a, 0, "default_value", Value::String(""));
    return v;
  };
  add("d", dflt);
  add("default", dflt);
  add("dictsort", [](Renderer&, const Value& v, CallArgs& a) {
    const bool case_sensitive = BoolArg(a, 0, "case_sensitive", false);
    const std::string by = PyStr(Arg(a, 1, "by", Value::String("key")));
    const bool reverse = BoolArg(a, 2, "reverse", false);
    if (by != "key" && by != "value") Throw("You can only sort by either \"key\" or \"value\"");
    if (!v.is_dict()) Throw("'" + std::string(PyTypeName(v)) + "' object has no attribute 'items'");
    std::vector<Value> items;
    for (const auto& [k, val] : v.as_dict().items) items.push_back(Value::FromList({k, val}, true));
    const size_t pos = by == "key" ? 0 : 1;
    std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
      Value kx = CaseKey(x.as_list().items[pos], case_sensitive);
      Value ky = CaseKey(y.as_list().items[pos], case_sensitive);
      return reverse ? PyLess(ky, kx) : PyLess(kx, ky);
    });
    return Value::FromList(std::move(items));
  });
  FilterFn escape = [](Renderer&, const Value& v, CallArgs&) { return EscapeToMarkup(v); };
  add("e", escape);
  add("escape", escape);
  add("first", [](Renderer&, const Value& v, CallArgs&) {
    if (v.is_list() && !v.as_list().items.empty()) return v.as_list().items.front();
    std::vector<Value> items = Iterate(v);
    if (items.empty()) return Value::UndefinedWith("No first item, sequence was empty.");
    return items.front();
  });
  add("float", [](Renderer&, const Value& v, CallArgs& a) {
    if (v.is_number()) return Value::Float(v.ToDouble());
    double d;
    if (v.is_string() && ParsePyFloat(v.as_string(), &d)) return Value::Float(d);
    return Arg(a, 0, "default", Value::Float(0.0));
  });
  add("forceescape", [](Renderer&, const Value& v, CallArgs&) { return Value::Markup(EscapeHtml(PyStr(v))); });
  add("filesizeformat", [](Renderer&, const Value& v, CallArgs& a) { return DoFilesizeformat(v, a); });
  // Built into Jinja2 but not (yet) into tunepack: a clear refusal rather than "no filter".
  // random is left out on purpose: the same input must give the same bytes.
  add("random", [](Renderer&, const Value&, CallArgs&) -> Value {
    Throw("the 'random' filter is not supported by tunepack (output must be reproducible)", StatusCode::kUnimplemented);
  });
  add("urlencode", [](Renderer&, const Value&, CallArgs&) -> Value {
    Throw("the 'urlencode' filter is not supported by tunepack", StatusCode::kUnimplemented);
  });
  add("urlize", [](Renderer& r, const Value& v, CallArgs& a) {
    Value out = DoUrlize(r, v, a);
    return r.autoescape() ? out.AsMarkup() : out;
  });
  add("wordwrap", DoWordwrap);
  add("groupby", DoGroupby);
  add("xmlattr", [](Renderer& r, const Value& v, CallArgs& a) {
    Value out = DoXmlattr(v, a);
    return r.autoescape() ? out.AsMarkup() : out;
  });
  add("format", [](Renderer&, const Value& v, CallArgs& a) {
    if (!a.pos.empty() && !a.kw.empty()) Throw("can't handle positional and keyword arguments at the same time");
    if (!a.kw.empty()) {
      Value d = Value::MakeDict();
      for (auto& [k, val] : a.kw) d.as_dict().Set(Value::String(k), val);
      return BinaryOp(BinOp::kMod, SameKind(v, PyStr(v)), d);
    }
    // soft_str(value) % args: a Markup format escapes its arguments.
    return BinaryOp(BinOp::kMod, SameKind(v, PyStr(v)), Value::FromList(a.pos.ToVector(), true));
  });
  add("indent", [](Renderer&, const Value& v, CallArgs& a) { return DoIndent(v, a); });
  add("int", [](Renderer&, const Value& v, CallArgs& a) {
    const Value dflt = Arg(a, 0, "default", Value::Int(0));
    const int base = static_cast<int>(IntArg(a, 1, "base", 10));
    if (v.is_int()) return v;
    if (v.is_bool()) return Value::Int(v.as_bool());
    // Jinja2: int(value) (int(value, base) for a str), else int(float(value)), else the
    // default. int() of NaN is a ValueError (the default); of infinity an OverflowError, raised.
    if (v.is_float()) {
      if (std::isnan(v.as_float())) return dflt;
      return Value::Int(TruncateToInt(v.as_float()));
    }
    if (v.is_string()) {
      int64_t i;
      if (ParsePyInt(v.as_string(), base, &i)) return Value::Int(i);
      double d;
      if (ParsePyFloat(v.as_string(), &d) && !std::isnan(d)) return Value::Int(TruncateToInt(d));
    }
    return dflt;
  });
  add("items", [](Renderer& r, const Value& v, CallArgs& a) {
    if (v.is_undefined()) return Value::MakeList();
    if (!v.is_dict()) Throw("Can only get item pairs from a mapping.");
    Value result;
    CallMethod(r, v, "items", a, &result);
    result.as_list().view = List::View::kNone;
    return result;
  });
  add("join", [](Renderer& r, const Value& v, CallArgs& a) {
    const Value sep_arg = Arg(a, 0, "d", Value::String(""));  // a copy: the default is a temporary
    const Value& attribute = Arg(a, 1, "attribute", kNoneValue);
    std::vector<Value> items = Iterate(v);
    if (!attribute.is_none()) {
      for (Value& item : items) item = AttrPath(r, item, PyStr(attribute));
    }
    // Under autoescape, Markup among the items (or as the separator) makes the result
    // Markup with everything else escaped (do_join); otherwise a plain str.
    bool markup = false;
    if (r.autoescape()) {
      markup = sep_arg.is_markup();
      for (const Value& item : items) markup |= item.is_markup();
    }
    auto text_of = [&](const Value& x) { return markup && !x.is_markup() ? EscapeHtml(PyStr(x)) : PyStr(x); };
    const std::string sep = text_of(sep_arg);
    std::string out;
    bool first = true;
    for (const auto& item : items) {
      if (!first) out += sep;
      first = false;
      out += text_of(item);
      CheckValueBytes(out.size());
    }
    return markup ? Value::Markup(std::move(out)) : Str(std::move(out));
  });
  add("last", [](Renderer&, const Value& v, CallArgs&) {
    std::vector<Value> items = Iterate(v);
    if (items.empty()) return Value::UndefinedWith("No last item, sequence was empty.");
    return items.back();
  });
  add("length", length);
  add("list", [](Renderer&, const Value& v, CallArgs&) { return Value::FromList(Iterate(v)); });
  add("lower", [](Renderer&, const Value& v, CallArgs&) { return SameKind(v, PyLower(PyStr(v))); });
  add("map", [](Renderer& r, const Value& v, CallArgs& a) {
    std::vector<Value> out;
    if (!v.Truthy()) return Value::FromList({});  // Jinja2 maps nothing over a false value (none|map)
    if (a.pos.empty()) {
      const Value* attribute = a.Get(99, "attribute");
      if (attribute == nullptr) return Value::FromList({});
      const Value* dflt = a.Get(99, "default");
      for (const auto& item : Iterate(v)) {
        Value got = AttrPath(r, item, PyStr(*attribute));
        if (got.is_undefined() && dflt != nullptr) got = *dflt;
        out.push_back(std::move(got));
      }
      return Value::FromList(std::move(out));
    }
    const std::string name = PyStr(a.pos[0]);
    CallArgs rest;
    rest.pos.assign(a.pos.begin() + 1, a.pos.end());
    rest.kw = a.kw;
    for (const auto& item : Iterate(v)) {
      CallArgs copy = rest;
      out.push_back(r.ApplyFilter(name, item, copy));
    }
    return Value::FromList(std::move(out));
  });
  add("max", [](Renderer& r, const Value& v, CallArgs& a) { return MinMax(r, v, a, true); });
  add("min", [](Renderer& r, const Value& v, CallArgs& a) { return MinMax(r, v, a, false); });
  add("pprint", DoPprint);
  add("reject", [](Renderer& r, const Value& v, CallArgs& a) { return Value::FromList(SelectOrReject(r, v, a, false, false)); });
  add("rejectattr", [](Renderer& r, const Value& v, CallArgs& a) { return Value::FromList(SelectOrReject(r, v, a, true, false)); });
  add("replace", [](Renderer& r, const Value& v, CallArgs& a) {
    const Value old_arg = Arg(a, 0, "old", Value::String(""));
    const Value new_arg = Arg(a, 1, "new", Value::String(""));
    const int64_t count = IntArg(a, 2, "count", -1);
    if (!r.autoescape()) return Str(PyReplace(PyStr(v), PyStr(old_arg), PyStr(new_arg), count));
    // do_replace under autoescape: Markup old/new escape a plain input first; a Markup
    // input escapes plain old/new (Markup.replace).
    Value s = v;
    if ((old_arg.is_markup() || new_arg.is_markup()) && !v.is_markup()) s = EscapeToMarkup(v);
    if (!s.is_markup()) return Str(PyReplace(PyStr(s), PyStr(old_arg), PyStr(new_arg), count));
    return Value::Markup(PyReplace(s.as_string(), EscapeToMarkup(old_arg).as_string(),
                                   EscapeToMarkup(new_arg).as_string(), count));
  });
  add("reverse", [](Renderer&, const Value& v, CallArgs&) {
    if (v.is_string()) {
      std::vector<size_t> offs = CodePointOffsets(v.as_string());
      std::string out;
      for (size_t i = offs.size() - 1; i > 0; --i) out.append(v.as_string(), offs[i - 1], offs[i] - offs[i - 1]);
      return SameKind(v, std::move(out));
    }
    std::vector<Value> items = Iterate(v);
    std::reverse(items.begin(), items.end());
    return Value::FromList(std::move(items));
  });
  add("round", [](Renderer&, const Value& v, CallArgs& a) { return DoRound(v, a); });
  add("safe", [](Renderer&, const Value& v, CallArgs&) { return v.is_markup() ? v : Value::Markup(PyStr(v)); });
  add("select", [](Renderer& r, const Value& v, CallArgs& a) { return Value::FromList(SelectOrReject(r, v, a, false, true)); });
  add("selectattr", [](Renderer& r, const Value& v, CallArgs& a) { return Value::FromList(SelectOrReject(r, v, a, true, true)); });
  add("slice", [](Renderer& r, const Value& v, CallArgs& a) {
    const int64_t slices = IntArg(a, 0, "slices", 1);
    if (slices <= 0) Throw("slices must be positive");
    CheckListItems(static_cast<uint64_t>(slices));
    r.Charge(static_cast<uint64_t>(slices));
    const Value* fill = a.Get(1, "fill_with");
    std::vector<Value> seq = Iterate(v);
    const int64_t length = static_cast<int64_t>(seq.size());
    const int64_t per_slice = length / slices;
    const int64_t with_extra = length % slices;
    int64_t offset = 0;
    std::vector<Value> out;
    for (int64_t i = 0; i < slices; ++i) {
      const int64_t start = offset + i * per_slice;
      if (i < with_extra) ++offset;
      const int64_t end = offset + (i + 1) * per_slice;
      std::vector<Value> part(seq.begin() + start, seq.begin() + end);
      if (fill != nullptr && !fill->is_none() && i >= with_extra) part.push_back(*fill);
      out.push_back(Value::FromList(std::move(part)));
    }
    return Value::FromList(std::move(out));
  });
  add("sort", [](Renderer& r, const Value& v, CallArgs& a) {
    return Value::FromList(SortedItems(r, v, BoolArg(a, 0, "reverse", false), BoolArg(a, 1, "case_sensitive", false),
                                       Arg(a, 2, "attribute", kNoneValue)));
  });
  add("string", [](Renderer&, const Value& v, CallArgs&) { return v.is_string() ? v : Str(PyStr(v)); });
  add("striptags", [](Renderer&, const Value& v, CallArgs&) { return DoStriptags(v); });
  add("sum", [](Renderer& r, const Value& v, CallArgs& a) {
    const Value& attribute = Arg(a, 0, "attribute", kNoneValue);
    Value total = Arg(a, 1, "start", Value::Int(0));
    for (const auto& item : Iterate(v)) {
      total = BinaryOp(BinOp::kAdd, total, attribute.is_none() ? item : AttrPath(r, item, PyStr(attribute)));
    }
    return total;
  });
  add("title", [](Renderer&, const Value& v, CallArgs&) { return DoTitle(v); });
  add("tojson", DoToJson);
  add("trim", [](Renderer&, const Value& v, CallArgs& a) {
    const Value& chars = Arg(a, 0, "chars", kNoneValue);
    const std::string* strip = chars.is_string() ? &chars.as_string() : nullptr;
    if (v.is_string()) {
      const std::string& text = v.as_string();
      const std::string_view kept = PyStripView(text, strip, true, true);
      if (kept.size() == text.size()) return v;  // nothing to strip: the same string
      return SameKind(v, std::string(kept));
    }
    return SameKind(v, PyStrip(PyStr(v), strip, true, true));
  });
  add("truncate", [](Renderer&, const Value& v, CallArgs& a) { return DoTruncate(v, a); });
  add("unique", [](Renderer& r, const Value& v, CallArgs& a) {
    const bool case_sensitive = BoolArg(a, 0, "case_sensitive", false);
    const Value& attribute = Arg(a, 1, "attribute", kNoneValue);
    std::vector<Value> seen, out;
    for (const auto& item : Iterate(v)) {
      Value key = ItemKey(r, item, attribute, case_sensitive);
      bool dup = false;
      r.Charge(seen.size());
      for (const auto& s : seen) dup |= PyEquals(s, key);
      if (dup) continue;
      seen.push_back(std::move(key));
      out.push_back(item);
    }
    return Value::FromList(std::move(out));
  });
  add("upper", [](Renderer&, const Value& v, CallArgs&) { return SameKind(v, PyUpper(PyStr(v))); });
  add("wordcount", [](Renderer&, const Value& v, CallArgs&) { return DoWordcount(v); });
}

const Registry<FilterEntry>& Filters() {
  static const Registry<FilterEntry>* registry = [] {
    auto* r = new Registry<FilterEntry>();
    RegisterBuiltinFilters(*r);
    return r;
  }();
  return *registry;
}

}  // namespace

const FilterEntry* FindFilter(std::string_view name) { return Filters().Find(name); }

}  // namespace tunepack::jinja
