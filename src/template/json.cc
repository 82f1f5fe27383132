// JSON in and out: ParseJson reads contexts and messages (key order kept, as Python's json
// module does); JsonDumps writes what Python's json.dumps writes, for the tojson filter.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "template/limits.h"
#include "template/render.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/utf8.h"

namespace tunepack::jinja {
namespace {

// Thrown by FromJson for input nested deeper than kMaxValueDepth.
struct JsonTooDeep {};

Value FromJson(const nlohmann::ordered_json& j, int depth) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return Value::None();
    case nlohmann::ordered_json::value_t::boolean: return Value::Bool(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value::Int(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value::Float(static_cast<double>(u));
      return Value::Int(static_cast<int64_t>(u));
    }
    case nlohmann::ordered_json::value_t::number_float: return Value::Float(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value::String(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
      if (depth >= kMaxValueDepth) throw JsonTooDeep{};
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(FromJson(item, depth + 1));
      return Value::FromList(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
      if (depth >= kMaxValueDepth) throw JsonTooDeep{};
      Value d = Value::MakeDict();
      for (const auto& [k, v] : j.items()) d.as_dict().Set(Value::String(k), FromJson(v, depth + 1));
      return d;
    }
    default: return Value::None();
  }
}

void AppendAsciiJsonString(std::string_view text, std::string& out) {
  out.push_back('"');
  size_t pos = 0;
  char buf[16];
  while (pos < text.size()) {
    const char32_t cp = DecodeUtf8(text, pos);
    switch (cp) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (cp >= 0x20 && cp < 0x7F) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x10000) {
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      const uint32_t v = cp - 0x10000;
      std::snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
      out += buf;
    }
  }
  out.push_back('"');
}

// A tool's JSON schema is a few hundred bytes: room for a dict or list at once instead
// of growing the string through 30, 60, 120... bytes.
constexpr size_t kFirstReserve = 512;

class JsonDumper {
 public:
  // The limit is read once, not per item: JsonDumper runs inside one render.
  explicit JsonDumper(const JsonDumpOptions& o)
      : o_(o), pretty_(o.indent >= 0 || o.indent_str != nullptr), max_bytes_(CurrentBudget().max_value_bytes) {}

  void Dump(const Value& v, int level, std::string& out) {
    if (level > 200) Throw("maximum recursion depth exceeded while encoding a JSON object");
    switch (v.kind()) {
      case Value::Kind::kNone: out += "null"; return;
      case Value::Kind::kBool: out += v.as_bool() ? "true" : "false"; return;
      case Value::Kind::kInt: AppendPyStr(v, out); return;
      case Value::Kind::kFloat: Float(v.as_float(), out); return;
      case Value::Kind::kString: String(v.as_string(), out); return;
      case Value::Kind::kList: {
        if (v.as_list().view == List::View::kRange) Throw("Object of type range is not JSON serializable");
        const auto& items = v.as_list().items;
        if (items.empty()) {
          out += "[]";
          return;
        }
        out.push_back('[');
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out += o_.item_separator;
          Newline(level + 1, out);
          Dump(items[i], level + 1, out);
          CheckSize(out);
        }
        Newline(level, out);
        out.push_back(']');
        return;
      }
      case Value::Kind::kDict: {
        const auto& items = v.as_dict().items;
        if (items.empty()) {
          out += "{}";
          return;
        }
        // A tool's schema has a handful of keys a level: their order is worked out on the
        // stack (an insertion sort, stable as Python's sorted) with no allocation per dict.
        using Entry = const std::pair<Value, Value>*;
        Entry inline_entries[kInlineEntries];
        std::vector<Entry> many;
        Entry* entries = inline_entries;
        if (items.size() > kInlineEntries) {
          many.resize(items.size());
          entries = many.data();
        }
        const size_t n = items.size();
        for (size_t i = 0; i < n; ++i) entries[i] = &items[i];
        if (o_.sort_keys) SortByKey(entries, n);
        out.push_back('{');
        bool first = true;
        for (size_t e = 0; e < n; ++e) {
          const auto* kv = entries[e];
          if (!first) out += o_.item_separator;
          first = false;
          Newline(level + 1, out);
          Key(kv->first, out);
          out += o_.key_separator;
          Dump(kv->second, level + 1, out);
          CheckSize(out);
        }
        Newline(level, out);
        out.push_back('}');
        return;
      }
      default:
        Throw("Object of type " + std::string(PyTypeName(v)) + " is not JSON serializable");
    }
  }

 private:
  static constexpr size_t kInlineEntries = 16;

  void CheckSize(const std::string& out) const {
    if (out.size() > max_bytes_) CheckValueBytes(out.size());
  }

  static bool KeyLess(const std::pair<Value, Value>* a, const std::pair<Value, Value>* b) {
    // UTF-8 bytes order as code points do, which is how Python compares str keys.
    if (a->first.is_string() && b->first.is_string()) return a->first.as_string() < b->first.as_string();
    return PyLess(a->first, b->first);
  }
  static void SortByKey(const std::pair<Value, Value>** entries, size_t n) {
    if (n > kInlineEntries) {
      std::stable_sort(entries, entries + n, KeyLess);
      return;
    }
    for (size_t i = 1; i < n; ++i) {
      const auto* moving = entries[i];
      size_t j = i;
      for (; j > 0 && KeyLess(moving, entries[j - 1]); --j) entries[j] = entries[j - 1];
      entries[j] = moving;
    }
  }

  // Inline, so that compact output (tojson without indent) pays only the test.
  void Newline(int level, std::string& out) {
    if (pretty_) Indent(level, out);
  }
  void Indent(int level, std::string& out) {
    // The indentation is checked before it is written: indent=10**8 is 100 MB per line.
    const uint64_t unit = o_.indent_str != nullptr ? o_.indent_str->size() : static_cast<uint64_t>(o_.indent);
    CheckValueBytes(out.size() + 1 + unit * static_cast<uint64_t>(level));
    out.push_back('\n');
    for (int i = 0; i < level; ++i) {
      if (o_.indent_str != nullptr) {
        out += *o_.indent_str;
      } else {
        out.append(static_cast<size_t>(o_.indent), ' ');
      }
    }
  }
  void Float(double d, std::string& out) {
    if (std::isnan(d)) out += "NaN";
    else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
    else AppendPyFloat(d, out);
  }
  void String(std::string_view s, std::string& out) {
    if (o_.ensure_ascii) {
      AppendAsciiJsonString(s, out);
    } else {
      AppendJsonString(out, s);
    }
  }
  void Key(const Value& k, std::string& out) {
    switch (k.kind()) {
      case Value::Kind::kString: String(k.as_string(), out); return;
      case Value::Kind::kNone: out += "\"null\""; return;
      case Value::Kind::kBool: out += k.as_bool() ? "\"true\"" : "\"false\""; return;
      case Value::Kind::kInt: out += "\"" + PyStr(k) + "\""; return;
      case Value::Kind::kFloat: {
        std::string f;
        Float(k.as_float(), f);
        out += "\"" + f + "\"";
        return;
      }
      default:
        Throw("keys must be str, int, float, bool or None, not " + std::string(PyTypeName(k)));
    }
  }

  const JsonDumpOptions& o_;
  const bool pretty_;
  const uint64_t max_bytes_;
};

}  // namespace

Result<Value> ParseJson(std::string_view json) {
  try {
    return FromJson(nlohmann::ordered_json::parse(json), 0);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("invalid JSON: ") + e.what());
  } catch (const JsonTooDeep&) {
    return ResourceExhaustedError("JSON nested more than " + std::to_string(kMaxValueDepth) + " levels deep");
  }
}

std::string JsonDumps(const Value& v, const JsonDumpOptions& options) {
  std::string out;
  if (v.is_dict() || v.is_list()) out.reserve(kFirstReserve);  // a str or number stays short
  JsonDumper(options).Dump(v, 0, out);
  if (options.html_safe) {
    std::string safe;
    safe.reserve(out.size());
    for (char c : out) {
      switch (c) {
        case '<': safe += "\\u003c"; break;
        case '>': safe += "\\u003e"; break;
        case '&': safe += "\\u0026"; break;
        case '\'': safe += "\\u0027"; break;
        default: safe.push_back(c);
      }
    }
    return safe;
  }
  return out;
}

}  // namespace tunepack::jinja
