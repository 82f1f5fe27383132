// printf-style formatting as Python's `str % args` does it (the `format` filter and the
// `%` operator on strings). Padding is applied here rather than by snprintf, so any width
// works ('%600d' is 600 wide, as in Python) and a width or precision that would make a
// value larger than the cap is refused before anything is allocated.
#include <cmath>
#include <cstdio>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/render.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

// A double's exact decimal expansion ends within 1,100 digits after the point and has at
// most 767 significant digits: larger precisions only add zeros, written here instead of
// by snprintf (which takes seconds and gigabytes for '%.999999999f').
constexpr uint64_t kMaxFixedDigits = 1100;
constexpr uint64_t kMaxSignificantDigits = 800;

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alt = false;
  uint64_t width = 0;
  bool has_precision = false;
  uint64_t precision = 0;
};

// Parses a run of decimal digits at format[i]; the value saturates (and is then refused by
// the size check) rather than wrapping.
uint64_t ParseCount(const std::string& format, size_t& i) {
  uint64_t n = 0;
  while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
    n = n > UINT64_MAX / 20 ? UINT64_MAX / 2 : n * 10 + static_cast<uint64_t>(format[i] - '0');
    ++i;
  }
  return n;
}

// Returns a `*` width or precision argument.
uint64_t StarCount(const Value& v, bool* negative) {
  if (!v.is_int() && !v.is_bool()) Throw("* wants int");
  const int64_t n = v.is_bool() ? v.as_bool() : v.as_int();
  *negative = n < 0;
  return n < 0 ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
}

// Pads `body` (sign and prefix first, then digits) to the spec's width. Zero padding goes
// between the sign/prefix and the digits, as Python and C place it.
std::string Pad(std::string_view sign_prefix, std::string_view digits, const Spec& spec, bool numeric) {
  const uint64_t length = CodePointCount(sign_prefix) + CodePointCount(digits);
  std::string out;
  if (length >= spec.width) {
    out.reserve(sign_prefix.size() + digits.size());
    out.append(sign_prefix);
    out.append(digits);
    return out;
  }
  const uint64_t fill = spec.width - length;
  CheckValueBytes(sign_prefix.size() + digits.size() + fill);
  if (spec.left) {
    out.append(sign_prefix);
    out.append(digits);
    out.append(fill, ' ');
  } else if (spec.zero && numeric) {
    out.append(sign_prefix);
    out.append(fill, '0');
    out.append(digits);
  } else {
    out.append(fill, ' ');
    out.append(sign_prefix);
    out.append(digits);
  }
  return out;
}

std::string SignOf(bool negative, const Spec& spec) {
  if (negative) return "-";
  if (spec.plus) return "+";
  if (spec.space) return " ";
  return "";
}

// Returns the integer value of a number argument for %d and friends; a float is truncated
// as Python's int() does, and one whose integer does not fit in 64 bits is refused.
int64_t IntegerOf(const Value& v, char conv) {
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return v.as_bool();
  if (v.is_float() && (conv == 'd' || conv == 'i' || conv == 'u')) return TruncateToInt(v.as_float());
  const bool real = conv == 'd' || conv == 'i' || conv == 'u';
  Throw(std::string("%") + conv + " format: " + (real ? "a real number" : "an integer") + " is required, not " +
        std::string(PyTypeName(v)));
}

std::string FormatInteger(const Value& v, char conv, const Spec& spec) {
  const int64_t n = IntegerOf(v, conv);
  const bool negative = n < 0;
  uint64_t magnitude = negative ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  std::string digits;
  const unsigned base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10;
  const char* alphabet = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits.insert(digits.begin(), alphabet[magnitude % base]);
    magnitude /= base;
  } while (magnitude != 0);
  if (spec.has_precision && spec.precision > digits.size()) {
    CheckValueBytes(spec.precision);
    digits.insert(0, spec.precision - digits.size(), '0');
  }
  std::string prefix = SignOf(negative, spec);
  if (spec.alt && base == 16) prefix += conv == 'X' ? "0X" : "0x";
  if (spec.alt && base == 8) prefix += "0o";
  return Pad(prefix, digits, spec, true);
}

std::string FormatFloat(const Value& v, char conv, const Spec& spec) {
  if (!v.is_number()) Throw("must be real number, not " + std::string(PyTypeName(v)));
  const double d = v.ToDouble();
  const bool upper = conv == 'F' || conv == 'E' || conv == 'G';
  if (!std::isfinite(d)) {
    std::string body = std::isnan(d) ? "nan" : "inf";
    if (upper) body = std::isnan(d) ? "NAN" : "INF";
    return Pad(SignOf(std::signbit(d) && !std::isnan(d), spec), body, spec, true);
  }
  const uint64_t precision = spec.has_precision ? spec.precision : 6;
  const bool fixed = conv == 'f' || conv == 'F';
  const bool general = conv == 'g' || conv == 'G';
  uint64_t printed = precision;  // the precision snprintf is asked for
  uint64_t extra_zeros = 0;      // zeros appended after its digits
  if (fixed && precision > kMaxFixedDigits) {
    printed = kMaxFixedDigits;
    extra_zeros = precision - kMaxFixedDigits;
  } else if (!fixed && precision > kMaxSignificantDigits) {
    // %g drops trailing zeros, so a larger precision prints the same, except with '#'.
    if (general && spec.alt) Throw("'%#g' with a precision above 800 is not supported", StatusCode::kUnimplemented);
    printed = kMaxSignificantDigits;
    if (!general) extra_zeros = precision - kMaxSignificantDigits;
  }
  CheckValueBytes(extra_zeros + printed + 32);
  std::string format = "%";
  if (spec.alt) format += '#';
  format += "." + std::to_string(printed) + conv;
  std::string body(static_cast<size_t>(printed) + 400, '\0');
  const int n = std::snprintf(body.data(), body.size(), format.c_str(), std::fabs(d));
  body.resize(static_cast<size_t>(n));
  if (extra_zeros > 0) {
    // Before the exponent for %e, at the end for %f.
    const size_t at = fixed ? body.size() : body.find_first_of("eE");
    body.insert(at, extra_zeros, '0');
  }
  return Pad(SignOf(std::signbit(d), spec), body, spec, true);
}

std::string FormatText(const Value& v, char conv, const Spec& spec) {
  std::string s;
  if (conv == 's') {
    AppendPyStr(v, s);
  } else {
    AppendPyRepr(v, s);
  }
  if (spec.has_precision) {
    std::vector<size_t> offs = CodePointOffsets(s);
    if (spec.precision + 1 < offs.size()) s.resize(offs[spec.precision]);
  }
  return Pad("", s, spec, false);
}

std::string FormatChar(const Value& v, const Spec& spec) {
  std::string ch;
  if (v.is_string()) {
    if (CodePointCount(v.as_string()) != 1) Throw("%c requires int or char");
    ch = v.as_string();
  } else if (v.is_int() || v.is_bool()) {
    const int64_t n = v.is_bool() ? v.as_bool() : v.as_int();
    if (n < 0 || n > 0x10FFFF) Throw("%c arg not in range(0x110000)");
    AppendUtf8(static_cast<char32_t>(n), ch);
  } else {
    Throw("%c requires int or char");
  }
  return Pad("", ch, spec, false);
}

}  // namespace

std::string PyPercentFormat(const std::string& format, const Value& args) {
  std::vector<Value> positional;
  const Value* mapping = nullptr;
  if (args.is_list() && args.as_list().is_tuple) {
    positional = args.as_list().items;
  } else if (args.is_dict()) {
    mapping = &args;
  } else {
    positional.push_back(args);
  }
  size_t next_arg = 0;
  std::string out;
  auto take = [&]() -> Value {
    if (next_arg >= positional.size()) Throw("not enough arguments for format string");
    return positional[next_arg++];
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out.push_back(format[i]);
      continue;
    }
    if (++i >= format.size()) Throw("incomplete format");
    Value value;
    bool have_value = false;
    if (format[i] == '(') {
      const size_t close = format.find(')', i);
      if (close == std::string::npos) Throw("incomplete format key");
      const std::string key = format.substr(i + 1, close - i - 1);
      if (mapping == nullptr) Throw("format requires a mapping");
      const Value* v = mapping->as_dict().Find(std::string_view(key));
      if (v == nullptr) Throw("'" + key + "'");
      value = *v;
      have_value = true;
      i = close + 1;
    }
    Spec spec;
    for (; i < format.size(); ++i) {
      const char c = format[i];
      if (c == '-') spec.left = true;
      else if (c == '0') spec.zero = true;
      else if (c == '+') spec.plus = true;
      else if (c == ' ') spec.space = true;
      else if (c == '#') spec.alt = true;
      else break;
    }
    if (i < format.size() && format[i] == '*') {
      bool negative = false;
      spec.width = StarCount(take(), &negative);
      spec.left |= negative;
      ++i;
    } else {
      spec.width = ParseCount(format, i);
    }
    if (i < format.size() && format[i] == '.') {
      spec.has_precision = true;
      ++i;
      if (i < format.size() && format[i] == '*') {
        bool negative = false;
        spec.precision = StarCount(take(), &negative);
        if (negative) spec.precision = 0;
        ++i;
      } else {
        spec.precision = ParseCount(format, i);
      }
    }
    while (i < format.size() && (format[i] == 'l' || format[i] == 'h' || format[i] == 'L')) ++i;
    if (i >= format.size()) Throw("incomplete format");
    const char conv = format[i];
    if (conv == '%') {
      out.push_back('%');
      continue;
    }
    if (!have_value) value = take();
    switch (conv) {
      case 's': case 'r': case 'a': out += FormatText(value, conv, spec); break;
      case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': out += FormatInteger(value, conv, spec); break;
      case 'c': out += FormatChar(value, spec); break;
      case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': out += FormatFloat(value, conv, spec); break;
      default: {
        std::string message = "unsupported format character ";
        AppendPyStringRepr(std::string(1, conv), message);
        char hex[64];
        std::snprintf(hex, sizeof(hex), " (0x%x) at index %zu", static_cast<unsigned>(static_cast<unsigned char>(conv)), i);
        Throw(message + hex);
      }
    }
    CheckValueBytes(out.size());
  }
  if (mapping == nullptr && next_arg < positional.size()) {
    Throw("not all arguments converted during string formatting");
  }
  return out;
}

}  // namespace tunepack::jinja
