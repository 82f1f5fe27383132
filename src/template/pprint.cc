// The pprint filter: Python's pprint.pformat(value) (width 80, indent 1, dicts sorted by
// key), which Jinja2's pprint filter returns. A value whose repr fits in what is left of
// the line prints as repr() does (with dict keys sorted); a longer list, tuple, dict or str
// is broken over lines the way PrettyPrinter._format does it.
#include <algorithm>

#include "template/limits.h"
#include "template/pystr.h"
#include "template/text_filters.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

constexpr int64_t kWidth = 80;

bool IsPlainList(const Value& v) {
  return v.is_list() && (v.as_list().view == List::View::kNone || v.as_list().view == List::View::kGroup);
}

// str(type(v)), which pprint's _safe_key compares when the values themselves cannot be.
std::string TypeKey(const Value& v) { return "<class '" + std::string(PyTypeName(v)) + "'>"; }

// Python's sorted(d.items(), key=_safe_tuple): keys compared with <, or by type name
// where < raises TypeError.
std::vector<std::pair<Value, Value>> SortedItems(const Dict& dict) {
  std::vector<std::pair<Value, Value>> items = dict.items;
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    try {
      return PyLess(a.first, b.first);
    } catch (const RenderError&) {
      return TypeKey(a.first) < TypeKey(b.first);
    }
  });
  return items;
}

class PrettyPrinter {
 public:
  explicit PrettyPrinter(Renderer& renderer) : renderer_(renderer) {}

  // PrettyPrinter._safe_repr: repr() with dict keys sorted at every level.
  void SafeRepr(const Value& v, std::string& out) {
    ValueDepthGuard guard;
    renderer_.Charge(1);
    if (v.is_dict()) {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, value] : SortedItems(v.as_dict())) {
        if (!first) out += ", ";
        first = false;
        SafeRepr(key, out);
        out += ": ";
        SafeRepr(value, out);
      }
      out.push_back('}');
    } else if (IsPlainList(v)) {
      const List& list = v.as_list();
      out.push_back(list.is_tuple ? '(' : '[');
      for (size_t i = 0; i < list.items.size(); ++i) {
        if (i > 0) out += ", ";
        SafeRepr(list.items[i], out);
      }
      if (list.is_tuple && list.items.size() == 1) out.push_back(',');
      out.push_back(list.is_tuple ? ')' : ']');
    } else {
      AppendPyRepr(v, out);
    }
    CheckValueBytes(out.size());
  }

  // PrettyPrinter._format.
  void Format(const Value& v, int64_t indent, int64_t allowance, int level) {
    ValueDepthGuard guard;
    std::string rep;
    SafeRepr(v, rep);
    const int64_t max_width = kWidth - indent - allowance;
    if (static_cast<int64_t>(CodePointCount(rep)) > max_width) {
      if (v.is_dict()) return FormatDict(v.as_dict(), indent, allowance, level + 1);
      if (IsPlainList(v)) return FormatList(v.as_list(), indent, allowance, level + 1);
      if (v.is_string()) return FormatStr(v.as_string(), indent, allowance, level + 1);
    }
    Write(rep);
  }

  std::string Take() { return std::move(out_); }

 private:
  void Write(std::string_view text) {
    out_ += text;
    CheckValueBytes(out_.size());
  }

  // _pprint_dict and _format_dict_items.
  void FormatDict(const Dict& dict, int64_t indent, int64_t allowance, int level) {
    Write("{");
    const auto items = SortedItems(dict);
    indent += 1;
    allowance += 1;
    for (size_t i = 0; i < items.size(); ++i) {
      const bool last = i + 1 == items.size();
      std::string key;
      SafeRepr(items[i].first, key);
      Write(key);
      Write(": ");
      Format(items[i].second, indent + static_cast<int64_t>(CodePointCount(key)) + 2, last ? allowance : 1, level);
      if (!last) Write(",\n" + std::string(static_cast<size_t>(indent), ' '));
    }
    Write("}");
  }

  // _pprint_list, _pprint_tuple and _format_items.
  void FormatList(const List& list, int64_t indent, int64_t allowance, int level) {
    const std::string end = !list.is_tuple ? "]" : list.items.size() == 1 ? ",)" : ")";
    Write(list.is_tuple ? "(" : "[");
    indent += 1;
    allowance += static_cast<int64_t>(end.size());
    for (size_t i = 0; i < list.items.size(); ++i) {
      const bool last = i + 1 == list.items.size();
      if (i > 0) Write(",\n" + std::string(static_cast<size_t>(indent), ' '));
      Format(list.items[i], indent, last ? allowance : 1, level);
    }
    Write(end);
  }

  static std::string Repr(std::string_view s) {
    std::string out;
    AppendPyStringRepr(s, out);
    return out;
  }
  static int64_t Len(const std::string& s) { return static_cast<int64_t>(CodePointCount(s)); }

  // re.findall(r'\S*\s*', line) without its final empty match.
  static std::vector<std::string> WordsWithSpace(const std::string& line) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos < line.size()) {
      const size_t start = pos;
      bool in_space = false;
      while (pos < line.size()) {
        size_t next = pos;
        const bool space = IsPySpace(DecodeUtf8(line, next));
        if (!space && in_space) break;
        in_space |= space;
        pos = next;
      }
      parts.push_back(line.substr(start, pos - start));
    }
    return parts;
  }

  // _pprint_str: the string cut after whitespace into pieces that fit, one repr per line.
  void FormatStr(const std::string& s, int64_t indent, int64_t allowance, int level) {
    if (s.empty()) return Write(Repr(s));
    std::vector<std::string> chunks;
    const std::vector<std::string> lines = PySplitLines(s, true);
    if (level == 1) {
      indent += 1;
      allowance += 1;
    }
    int64_t max_width1 = kWidth - indent;
    const int64_t max_width = kWidth - indent;
    std::string rep;
    for (size_t i = 0; i < lines.size(); ++i) {
      renderer_.Charge(1);
      rep = Repr(lines[i]);
      if (i + 1 == lines.size()) max_width1 -= allowance;
      if (Len(rep) <= max_width1) {
        chunks.push_back(rep);
        continue;
      }
      const std::vector<std::string> parts = WordsWithSpace(lines[i]);
      int64_t max_width2 = max_width;
      std::string current;
      for (size_t j = 0; j < parts.size(); ++j) {
        std::string candidate = current + parts[j];
        if (j + 1 == parts.size() && i + 1 == lines.size()) max_width2 -= allowance;
        if (Len(Repr(candidate)) > max_width2) {
          if (!current.empty()) chunks.push_back(Repr(current));
          current = parts[j];
        } else {
          current = std::move(candidate);
        }
      }
      if (!current.empty()) chunks.push_back(Repr(current));
    }
    if (chunks.size() == 1) return Write(rep);
    if (level == 1) Write("(");
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i > 0) Write("\n" + std::string(static_cast<size_t>(indent), ' '));
      Write(chunks[i]);
    }
    if (level == 1) Write(")");
  }

  Renderer& renderer_;
  std::string out_;
};

}  // namespace

Value DoPprint(Renderer& renderer, const Value& input, CallArgs&) {
  PrettyPrinter printer(renderer);
  printer.Format(input, 0, 0, 0);
  return Value::String(printer.Take());
}

}  // namespace tunepack::jinja
