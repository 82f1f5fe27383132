// printf-style formatting as Python's `str % args` does it (the `format` filter and the
// `%` operator on strings).
#include <cmath>
#include <cstdio>

#include "template/pystr.h"
#include "template/render.h"

namespace tunepack::jinja {

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
  bool used_mapping = false;
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
      used_mapping = true;
      i = close + 1;
    }
    std::string flags;
    while (i < format.size() && std::string_view("-+ #0").find(format[i]) != std::string_view::npos) flags.push_back(format[i++]);
    std::string width;
    if (i < format.size() && format[i] == '*') {
      width = PyStr(take());
      ++i;
    }
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) width.push_back(format[i++]);
    std::string precision;
    bool has_precision = false;
    if (i < format.size() && format[i] == '.') {
      has_precision = true;
      ++i;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) precision.push_back(format[i++]);
    }
    while (i < format.size() && (format[i] == 'l' || format[i] == 'h' || format[i] == 'L')) ++i;
    if (i >= format.size()) Throw("incomplete format");
    const char conv = format[i];
    if (conv == '%') {
      out.push_back('%');
      continue;
    }
    if (!have_value) value = take();
    std::string spec = "%" + flags + width + (has_precision ? "." + precision : "");
    char buf[512];
    std::string piece;
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        std::string s;
        if (conv == 's') {
          AppendPyStr(value, s);
        } else {
          AppendPyRepr(value, s);
        }
        if (has_precision) {
          std::vector<size_t> offs = CodePointOffsets(s);
          const size_t p = std::stoul(precision.empty() ? "0" : precision);
          if (p + 1 < offs.size()) s = s.substr(0, offs[p]);
        }
        const int64_t w = width.empty() ? 0 : std::stoll(width);
        const int64_t len = static_cast<int64_t>(CodePointCount(s));
        if (len < w) {
          const std::string pad(static_cast<size_t>(w - len), ' ');
          s = flags.find('-') != std::string::npos ? s + pad : pad + s;
        }
        piece = s;
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
      case 'c': {
        if (!value.is_number()) {
          Throw(std::string("%") + conv + " format: " + (conv == 'd' || conv == 'i' || conv == 'u' ? "a real number" : "an integer") +
                " is required, not " + std::string(PyTypeName(value)));
        }
        const long long n = value.is_float() ? static_cast<long long>(std::trunc(value.as_float())) : static_cast<long long>(value.is_bool() ? value.as_bool() : value.as_int());
        if (conv == 'c') {
          piece.clear();
          AppendPyStr(Value::String(std::string(1, static_cast<char>(n))), piece);
          break;
        }
        std::snprintf(buf, sizeof(buf), (spec + "ll" + (conv == 'u' ? 'd' : conv == 'i' ? 'd' : conv)).c_str(), n);
        piece = buf;
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        if (!value.is_number()) Throw("must be real number, not " + std::string(PyTypeName(value)));
        const double d = value.ToDouble();
        if (!std::isfinite(d)) {
          piece = std::isnan(d) ? "nan" : (d < 0 ? "-inf" : "inf");
          if (conv == 'F' || conv == 'E' || conv == 'G') {
            for (char& ch : piece) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          }
          break;
        }
        std::snprintf(buf, sizeof(buf), (spec + conv).c_str(), d);
        piece = buf;
        break;
      }
      default:
        Throw(std::string("unsupported format character '") + conv + "'");
    }
    out += piece;
  }
  if (mapping == nullptr && next_arg < positional.size()) {
    Throw("not all arguments converted during string formatting");
  }
  (void)used_mapping;
  return out;
}

}  // namespace tunepack::jinja
