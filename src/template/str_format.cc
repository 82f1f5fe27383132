// str.format: replacement fields {name.attr[key]!conv:spec} (auto or manual numbering,
// nested fields inside a spec) and format(value, spec) for the value kinds templates hold.
#include "template/str_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/render.h"
#include "tunepack/core/html_escape.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

[[noreturn]] void ValueError(std::string message) { Throw(std::move(message)); }

struct FormatSpec {
  std::string fill = " ";
  char align = 0;  ///< '<', '>', '=', '^' or 0 (the type's default)
  char sign = 0;   ///< '+', '-', ' ' or 0
  bool z = false, alt = false, zero = false;
  bool zero_fill = false;  ///< '0' without an explicit fill or alignment: numbers pad after the sign
  uint64_t width = 0;
  char grouping = 0;  ///< ',', '_' or 0
  int64_t precision = -1;
  char type = 0;
};

bool IsAlign(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

uint64_t Digits(std::string_view spec, size_t& i) {
  uint64_t n = 0;
  while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') {
    n = n > UINT64_MAX / 20 ? UINT64_MAX / 2 : n * 10 + static_cast<uint64_t>(spec[i] - '0');
    ++i;
  }
  return n;
}

FormatSpec ParseSpec(std::string_view spec, std::string_view type_name) {
  FormatSpec s;
  size_t i = 0;
  // [[fill]align]: the fill is one code point.
  size_t after_fill = 0;
  if (!spec.empty()) {
    size_t next = 0;
    DecodeUtf8(spec, next);
    after_fill = next;
  }
  bool explicit_fill = false;
  if (after_fill < spec.size() && IsAlign(spec[after_fill])) {
    explicit_fill = true;
    s.fill = std::string(spec.substr(0, after_fill));
    s.align = spec[after_fill];
    i = after_fill + 1;
  } else if (!spec.empty() && IsAlign(spec[0])) {
    s.align = spec[0];
    i = 1;
  }
  const bool explicit_align = s.align != 0;
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) s.sign = spec[i++];
  if (i < spec.size() && spec[i] == 'z') s.z = true, ++i;
  if (i < spec.size() && spec[i] == '#') s.alt = true, ++i;
  if (i < spec.size() && spec[i] == '0') {
    s.zero = true;
    if (!explicit_fill) s.fill = "0";
    if (!explicit_align) s.zero_fill = true;
    ++i;
  }
  s.width = Digits(spec, i);
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) s.grouping = spec[i++];
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    const size_t start = i;
    s.precision = static_cast<int64_t>(std::min<uint64_t>(Digits(spec, i), INT64_MAX / 4));
    if (i == start) ValueError("Format specifier missing precision");
  }
  if (spec.size() - i > 1) {
    ValueError("Invalid format specifier '" + std::string(spec) + "' for object of type '" + std::string(type_name) + "'");
  }
  if (i < spec.size()) s.type = spec[i];
  CheckValueBytes(s.width);
  return s;
}

// Pads `body` (after `prefix`: sign and 0x) to the spec's width with its fill and alignment.
std::string Align(const std::string& prefix, const std::string& body, const FormatSpec& s, char default_align) {
  const uint64_t length = CodePointCount(prefix) + CodePointCount(body);
  if (length >= s.width) return prefix + body;
  const uint64_t pad = s.width - length;
  auto fill = [&](uint64_t n) {
    std::string out;
    for (uint64_t k = 0; k < n; ++k) out += s.fill;
    return out;
  };
  switch (s.align ? s.align : default_align) {
    case '<': return prefix + body + fill(pad);
    case '^': return fill(pad / 2) + prefix + body + fill(pad - pad / 2);
    case '=': return prefix + fill(pad) + body;
    default: return fill(pad) + prefix + body;
  }
}

// Inserts `sep` every `every` digits from the right.
std::string Group(const std::string& digits, char sep, size_t every) {
  std::string out;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % every == 0) out.push_back(sep);
    out.push_back(digits[k]);
  }
  return out;
}

// Formats a number from its sign, integer digits and the rest (fraction, exponent, '%'):
// grouping, then zero padding that is grouped too, then alignment.
std::string FinishNumber(bool negative, std::string int_digits, const std::string& rest, const std::string& base_prefix,
                         FormatSpec s, size_t group_every) {
  if (s.zero_fill && s.align == 0) s.align = '=';
  std::string prefix = negative ? "-" : s.sign == '+' ? "+" : s.sign == ' ' ? " " : "";
  prefix += base_prefix;
  if (s.grouping != 0 && s.align == '=' && s.fill == "0") {
    const uint64_t target = s.width > prefix.size() + rest.size() ? s.width - prefix.size() - rest.size() : 0;
    while (Group(int_digits, s.grouping, group_every).size() < target) int_digits.insert(0, 1, '0');
  }
  if (s.grouping != 0) int_digits = Group(int_digits, s.grouping, group_every);
  return Align(prefix, int_digits + rest, s, '>');
}

std::string FormatInt(int64_t n, const FormatSpec& s) {
  const char type = s.type ? s.type : 'd';
  if (s.precision >= 0) ValueError("Precision not allowed in integer format specifier");
  if (s.z) ValueError("Negative zero coercion (z) not allowed in integer format specifier");
  if (s.grouping == ',' && type != 'd') ValueError(std::string("Cannot specify ',' with '") + type + "'.");
  if (s.grouping == '_' && type != 'd' && type != 'b' && type != 'o' && type != 'x' && type != 'X') {
    ValueError(std::string("Cannot specify '_' with '") + type + "'.");
  }
  if (type == 'c') {
    if (s.sign) ValueError("Sign not allowed with integer format specifier 'c'");
    if (s.alt) ValueError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (n < 0 || n > 0x10FFFF) ValueError("%c arg not in range(0x110000)");
    std::string ch;
    AppendUtf8(static_cast<char32_t>(n), ch);
    return Align("", ch, s, '>');
  }
  const bool negative = n < 0;
  uint64_t magnitude = negative ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  const unsigned base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  const char* alphabet = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), alphabet[magnitude % base]);
    magnitude /= base;
  } while (magnitude != 0);
  std::string prefix;
  if (s.alt && base != 10) prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'X' ? "0X" : "0x";
  return FinishNumber(negative, digits, "", prefix, s, base == 10 ? 3 : 4);
}

std::string Printf(const char* conv, int64_t precision, double d, bool alt) {
  std::string format = std::string("%") + (alt ? "#" : "") + "." + std::to_string(precision) + conv;
  std::string out(static_cast<size_t>(precision) + 400, '\0');
  const int n = std::snprintf(out.data(), out.size(), format.c_str(), d);
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string FormatFloat(double d, const FormatSpec& s) {
  const char type = s.type;
  if (type != 0 && std::string_view("eEfFgGn%").find(type) == std::string_view::npos) {
    ValueError(std::string("Unknown format code '") + type + "' for object of type 'float'");
  }
  if (s.grouping != 0 && type == 'n') ValueError("Cannot specify ',' with 'n'.");
  if (s.precision > 800) Throw("a float format precision above 800 is not supported", StatusCode::kUnimplemented);
  const bool negative = std::signbit(d) && !std::isnan(d);
  double x = std::fabs(d);
  std::string body;
  if (!std::isfinite(d)) {
    body = std::isnan(d) ? "nan" : "inf";
    if (type == 'E' || type == 'F' || type == 'G') body = std::isnan(d) ? "NAN" : "INF";
    if (type == '%') body += "%";
  } else if (type == 0 && s.precision < 0) {
    AppendPyFloat(x, body);  // repr; '#' keeps a point even before an exponent
    if (s.alt && body.find('.') == std::string::npos) body.insert(std::min(body.find('e'), body.size()), ".");
  } else if (type == 0) {
    // Like 'g', but switching to an exponent one digit sooner, and a fixed-point result
    // keeps one digit after the point (Python's repr-style Py_DTSF_ADD_DOT_0).
    const int64_t p = std::max<int64_t>(s.precision, 1);
    const std::string e = Printf("e", p - 1, x, s.alt);
    const int exponent = std::atoi(e.c_str() + e.find('e') + 1);
    auto strip = [&](std::string digits) {
      if (s.alt || digits.find('.') == std::string::npos) return digits;
      while (digits.back() == '0') digits.pop_back();
      if (digits.back() == '.') digits.pop_back();
      return digits;
    };
    if (exponent < -4 || exponent >= p - 1) {
      const size_t at = e.find('e');
      body = strip(e.substr(0, at)) + e.substr(at);
    } else {
      body = strip(Printf("f", p - 1 - exponent, x, s.alt));
      if (body.find('.') == std::string::npos) body += ".0";
    }
  } else if (type == '%') {
    body = Printf("f", s.precision < 0 ? 6 : s.precision, x * 100, s.alt) + "%";
  } else {
    const char conv[2] = {type == 'n' ? 'g' : type, '\0'};
    body = Printf(conv, s.precision < 0 ? 6 : (type == 'g' || type == 'G' || type == 'n') ? std::max<int64_t>(s.precision, 1) : s.precision, x, s.alt);
  }
  bool shown_negative = negative;
  if (s.z && negative && body.find_first_of("123456789") == std::string::npos) shown_negative = false;
  // Split the integer digits from the rest so grouping applies to them only.
  size_t int_end = 0;
  while (int_end < body.size() && body[int_end] >= '0' && body[int_end] <= '9') ++int_end;
  if (!std::isfinite(d)) int_end = 0;
  return FinishNumber(shown_negative, body.substr(0, int_end), body.substr(int_end), "", s, 3);
}

std::string FormatString(const std::string& text, const FormatSpec& s) {
  if (s.type != 0 && s.type != 's') ValueError(std::string("Unknown format code '") + s.type + "' for object of type 'str'");
  if (s.sign) ValueError("Sign not allowed in string format specifier");
  if (s.alt) ValueError("Alternate form (#) not allowed in string format specifier");
  if (s.z) ValueError("Negative zero coercion (z) not allowed in format specifier");
  if (s.align == '=') ValueError("'=' alignment not allowed in string format specifier");
  if (s.grouping) ValueError(std::string("Cannot specify '") + s.grouping + "' with 's'.");
  std::string body = text;
  if (s.precision >= 0) {
    const std::vector<size_t> offs = CodePointOffsets(text);
    if (static_cast<size_t>(s.precision) + 1 < offs.size()) body = text.substr(0, offs[static_cast<size_t>(s.precision)]);
  }
  return Align("", body, s, '<');
}

// ascii(repr(v)): repr with non-ASCII code points escaped.
std::string AsciiRepr(const Value& v) {
  std::string repr;
  AppendPyRepr(v, repr);
  std::string out;
  size_t pos = 0;
  while (pos < repr.size()) {
    const char32_t c = DecodeUtf8(repr, pos);
    char buf[16];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (c <= 0xFF) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
    else if (c <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
    else std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
    out += buf;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class Formatter {
 public:
  Formatter(Renderer& renderer, const CallArgs& args, bool escape) : renderer_(renderer), args_(args), escape_(escape) {}

  std::string Format(std::string_view f, int depth) {
    if (depth > 2) ValueError("Max string recursion exceeded");
    std::string out;
    for (size_t i = 0; i < f.size(); ++i) {
      const char c = f[i];
      if (c == '}') {
        if (i + 1 < f.size() && f[i + 1] == '}') {
          out.push_back('}');
          ++i;
          continue;
        }
        ValueError("Single '}' encountered in format string");
      }
      if (c != '{') {
        out.push_back(c);
        continue;
      }
      if (i + 1 < f.size() && f[i + 1] == '{') {
        out.push_back('{');
        ++i;
        continue;
      }
      // The field runs to the '}' that balances this '{'.
      size_t j = i + 1;
      int level = 1;
      for (; j < f.size(); ++j) {
        if (f[j] == '{') ++level;
        if (f[j] == '}' && --level == 0) break;
      }
      if (j >= f.size()) ValueError(level > 1 ? "expected '}' before end of string" : "Single '{' encountered in format string");
      out += Field(f.substr(i + 1, j - i - 1), depth);
      CheckValueBytes(out.size());
      renderer_.Charge(1);
      i = j;
    }
    return out;
  }

 private:
  std::string Field(std::string_view field, int depth) {
    // name[.attr|[key]]*[!conv][:spec]; a ':' or '!' inside [key] belongs to the key.
    size_t end = 0;
    bool in_key = false;
    for (; end < field.size(); ++end) {
      if (field[end] == '[') in_key = true;
      if (field[end] == ']') in_key = false;
      if (!in_key && (field[end] == ':' || field[end] == '!')) break;
    }
    const std::string_view name = field.substr(0, end);
    char conversion = 0;
    std::string_view spec;
    if (end < field.size() && field[end] == '!') {
      if (end + 1 >= field.size()) ValueError("end of string while looking for conversion specifier");
      conversion = field[end + 1];
      if (end + 2 < field.size() && field[end + 2] != ':') ValueError("expected ':' after conversion specifier");
      end += 2;
    }
    if (end < field.size() && field[end] == ':') spec = field.substr(end + 1);
    Value value = Lookup(name);
    std::string converted_spec = spec.find('{') != std::string_view::npos ? Format(spec, depth + 1) : std::string(spec);
    std::string text;
    if (conversion == 'r' || conversion == 's' || conversion == 'a') {
      std::string s;
      if (conversion == 'r') AppendPyRepr(value, s);
      else if (conversion == 's') AppendPyStr(value, s);
      else s = AsciiRepr(value);
      text = PyFormatValue(Value::String(std::move(s)), converted_spec);
    } else if (conversion != 0) {
      ValueError(std::string("Unknown conversion specifier ") + conversion);
    } else {
      if (escape_ && value.is_markup() && !converted_spec.empty()) ValueError("Unsupported format specification for Markup.");
      text = PyFormatValue(value, converted_spec);
    }
    if (escape_ && !(value.is_markup() && conversion == 0)) text = EscapeHtml(text);
    return text;
  }

  Value Lookup(std::string_view name) {
    size_t first_end = 0;
    while (first_end < name.size() && name[first_end] != '.' && name[first_end] != '[') ++first_end;
    const std::string_view arg = name.substr(0, first_end);
    Value value;
    if (arg.empty() || AllDigits(arg)) {
      size_t index;
      if (arg.empty()) {
        if (manual_) ValueError("cannot switch from manual field specification to automatic field numbering");
        automatic_ = true;
        index = next_++;
      } else {
        if (automatic_) ValueError("cannot switch from automatic field numbering to manual field specification");
        manual_ = true;
        index = arg.size() > 9 ? SIZE_MAX : std::stoul(std::string(arg));
      }
      if (index >= args_.pos.size()) {
        Throw("Replacement index " + (arg.empty() ? std::to_string(index) : std::string(arg)) +
              " out of range for positional args tuple");
      }
      value = args_.pos[index];
    } else {
      const Value* found = nullptr;
      for (const auto& [k, v] : args_.kw) {
        if (k == arg) found = &v;
      }
      if (found == nullptr) {
        std::string key;
        AppendPyStringRepr(arg, key);
        Throw(key);
      }
      value = *found;
    }
    size_t i = first_end;
    while (i < name.size()) {
      if (name[i] == '.') {
        size_t j = i + 1;
        while (j < name.size() && name[j] != '.' && name[j] != '[') ++j;
        const std::string_view attr = name.substr(i + 1, j - i - 1);
        if (attr.empty()) ValueError("Empty attribute in format string");
        value = Attribute(value, std::string(attr));
        i = j;
      } else if (name[i] == '[') {
        const size_t close = name.find(']', i);
        if (close == std::string_view::npos) ValueError("Missing ']' in format string");
        const std::string_view key = name.substr(i + 1, close - i - 1);
        if (key.empty()) ValueError("Empty attribute in format string");
        value = Item(value, AllDigits(key) && key.size() < 19 ? Value::Int(std::stoll(std::string(key)))
                                                              : Value::String(std::string(key)));
        i = close + 1;
        if (i < name.size() && name[i] != '.' && name[i] != '[') {
          ValueError("Only '.' or '[' may follow ']' in format field specifier");
        }
      } else {
        ValueError("Only '.' or '[' may follow ']' in format field specifier");
      }
    }
    return value;
  }

  // getattr(value, attr): Python's own in a default environment (a dict's keys are not
  // attributes); Jinja2's lookup in a sandbox, whose formatter uses the environment's.
  Value Attribute(const Value& value, const std::string& attr) {
    if (renderer_.options().sandboxed || value.is_object()) {
      Value v = renderer_.GetAttr(value, attr);
      if (!v.is_undefined()) return v;
      if (renderer_.options().sandboxed) return v;
    }
    Throw("'" + std::string(PyTypeName(value)) + "' object has no attribute '" + attr + "'");
  }

  Value Item(const Value& value, const Value& key) {
    if (renderer_.options().sandboxed) return renderer_.GetItem(value, key);
    if (value.is_dict()) {
      if (const Value* v = value.as_dict().Find(key)) return *v;
      std::string repr;
      AppendPyRepr(key, repr);
      Throw(repr);
    }
    if (value.is_list() || value.is_string()) {
      if (!key.is_int()) {
        Throw(std::string(value.is_string() ? "string" : PyTypeName(value)) + " indices must be integers" +
              (value.is_string() ? ", not 'str'" : " or slices, not str"));
      }
      const int64_t n = value.is_string() ? static_cast<int64_t>(CodePointCount(value.as_string()))
                                          : static_cast<int64_t>(value.as_list().items.size());
      if (key.as_int() >= n) Throw(std::string(value.is_string() ? "string" : PyTypeName(value)) + " index out of range");
      return renderer_.GetItem(value, key);
    }
    Throw("'" + std::string(PyTypeName(value)) + "' object is not subscriptable");
  }

  Renderer& renderer_;
  const CallArgs& args_;
  bool escape_;
  bool automatic_ = false, manual_ = false;
  size_t next_ = 0;
};

}  // namespace

std::string PyFormatValue(const Value& value, std::string_view spec) {
  if (value.is_string()) return spec.empty() ? value.as_string() : FormatString(value.as_string(), ParseSpec(spec, "str"));
  if (value.is_bool() && spec.empty()) return value.as_bool() ? "True" : "False";
  if (value.is_int() || value.is_bool()) {
    const int64_t n = value.is_bool() ? value.as_bool() : value.as_int();
    const FormatSpec s = ParseSpec(spec, "int");
    if (s.type != 0 && std::string_view("eEfFgG%").find(s.type) != std::string_view::npos) {
      return FormatFloat(static_cast<double>(n), s);
    }
    if (s.type != 0 && std::string_view("bcdoxXn").find(s.type) == std::string_view::npos) {
      ValueError(std::string("Unknown format code '") + s.type + "' for object of type 'int'");
    }
    return FormatInt(n, s);
  }
  if (value.is_float()) return FormatFloat(value.as_float(), ParseSpec(spec, "float"));
  if (!spec.empty()) {
    Throw("unsupported format string passed to " + std::string(PyTypeName(value)) + ".__format__");
  }
  return PyStr(value);
}

std::string PyStrFormat(Renderer& renderer, std::string_view format, const CallArgs& args, bool escape_fields) {
  Formatter formatter(renderer, args, escape_fields);
  return formatter.Format(format, 0);
}

}  // namespace tunepack::jinja
