#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "options/option_values.h"
#include "tunepack/core/json_syntax.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/options/option_spec.h"

namespace tunepack::options {
namespace {

using nlohmann::json;

Status WrongValue(const OptionSpec& spec, std::string_view wanted, std::string_view got) {
  return InvalidArgumentError(OptionRef(spec.name) + " wants " + std::string(wanted) + ", not " +
                              std::string(got));
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string ChoiceList(const OptionSpec& spec) {
  std::string out;
  for (size_t i = 0; i < spec.choices.size(); ++i) {
    if (i > 0) out += i + 1 == spec.choices.size() ? " or " : ", ";
    out += spec.choices[i];
  }
  return out;
}

Status CheckChoice(const OptionSpec& spec, const std::string& value) {
  if (spec.choices.empty()) return Status::Ok();
  for (const std::string& choice : spec.choices) {
    if (choice == value) return Status::Ok();
  }
  return InvalidArgumentError(OptionRef(spec.name) + " must be " + ChoiceList(spec) + ", not " +
                              Quoted(value));
}

// Checks `value` (already JSON) against the declaration and returns it in canonical form.
Result<json> CheckJson(const OptionSpec& spec, const json& value) {
  switch (spec.type) {
    case ValueType::kBool:
      if (!value.is_boolean()) return WrongValue(spec, "true or false", value.dump());
      return value;
    case ValueType::kInt: {
      if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::trunc(d) != d || std::fabs(d) > 9.0e15) return WrongValue(spec, "an integer", value.dump());
        return CheckJson(spec, json(static_cast<int64_t>(d)));
      }
      if (!value.is_number_integer()) return WrongValue(spec, "an integer", value.dump());
      const int64_t n = value.is_number_unsigned() && value.get<uint64_t>() > INT64_MAX
                            ? INT64_MAX
                            : value.get<int64_t>();
      if (n < spec.min_int) {
        return InvalidArgumentError(OptionRef(spec.name) + " must be " + std::to_string(spec.min_int) +
                                    " or more, not " + std::to_string(n));
      }
      return json(n);
    }
    case ValueType::kNumber:
      if (!value.is_number()) return WrongValue(spec, "a number", value.dump());
      return json(value.get<double>());
    case ValueType::kString:
    case ValueType::kEnum:
      if (!value.is_string()) return WrongValue(spec, "a string", value.dump());
      TP_RETURN_IF_ERROR(CheckChoice(spec, value.get<std::string>()));
      return value;
    case ValueType::kStringList: {
      // A single string is a list of one, as a repeatable flag given once.
      json list = value.is_string() ? json::array({value}) : value;
      if (!list.is_array()) return WrongValue(spec, "a list of strings", value.dump());
      for (const json& item : list) {
        if (!item.is_string()) return WrongValue(spec, "a list of strings", value.dump());
        TP_RETURN_IF_ERROR(CheckChoice(spec, item.get<std::string>()));
      }
      return list;
    }
  }
  return InternalError("unknown option type");
}

// Turns one command-line string into JSON for `spec`.
Result<json> ParseText(const OptionSpec& spec, const std::string& text) {
  switch (spec.type) {
    case ValueType::kBool:
      if (text.empty() || text == "true") return json(true);
      if (text == "false") return json(false);
      return WrongValue(spec, "true or false", Quoted(text));
    case ValueType::kInt: {
      int64_t n = 0;
      const char* end = text.data() + text.size();
      auto [ptr, ec] = std::from_chars(text.data(), end, n);
      if (text.empty() || ec != std::errc() || ptr != end) return WrongValue(spec, "an integer", Quoted(text));
      return json(n);
    }
    case ValueType::kNumber: {
      char* end = nullptr;
      errno = 0;
      const double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(d)) {
        return WrongValue(spec, "a number", Quoted(text));
      }
      return json(d);
    }
    case ValueType::kString:
    case ValueType::kEnum:
    case ValueType::kStringList:
      return json(text);
  }
  return InternalError("unknown option type");
}

Result<json> DefaultOf(const OptionSpec& spec) {
  if (spec.default_json.empty()) {
    switch (spec.type) {
      case ValueType::kBool: return json(false);
      case ValueType::kStringList: return json::array();
      case ValueType::kString: return json("");
      default: return json(nullptr);
    }
  }
  return json::parse(spec.default_json);
}

// Fills defaults for the options of `command` not in `values`, checks required ones.
Status Complete(const std::vector<OptionSpec>& specs, CommandMask command, OptionValues::Impl& impl) {
  for (const OptionSpec& spec : specs) {
    if (!(spec.commands & command) || impl.values.contains(spec.name)) continue;
    if (spec.required) return InvalidArgumentError(OptionRef(spec.name) + " is required");
    TP_ASSIGN_OR_RETURN(impl.values[spec.name], DefaultOf(spec));
  }
  return Status::Ok();
}

}  // namespace

std::string CliName(const OptionSpec& spec) { return spec.cli_name.empty() ? spec.name : spec.cli_name; }

std::string ChoiceNames(const OptionSpec& spec, std::string_view separator) {
  std::string out;
  for (const std::string& choice : spec.choices) {
    if (choice.empty()) continue;  // "not given" is not a value to show
    if (!out.empty()) out += separator;
    out += choice;
  }
  return out;
}

std::string DefaultText(const OptionSpec& spec) {
  const std::string& d = spec.default_json;
  if (d.empty() || d == "false" || d == "[]" || d == "\"\"") return "";
  if (d.front() == '"') return d.substr(1, d.size() - 2);
  if (d.front() == '[') {
    // A list default reads as the CLI takes it: comma-separated.
    std::string out;
    for (const auto& item : json::parse(d)) out += (out.empty() ? "" : ",") + item.get<std::string>();
    return out;
  }
  return d;
}

std::string_view JsonTypeOf(ValueType type) {
  switch (type) {
    case ValueType::kBool: return "boolean";
    case ValueType::kInt: return "integer";
    case ValueType::kNumber: return "number";
    case ValueType::kString:
    case ValueType::kEnum: return "string";
    case ValueType::kStringList: return "array";
  }
  return "string";
}

std::string JsonKey(std::string_view name) { return SpellOption(name, OptionStyle::kJson); }

const OptionSpec* OptionTable::Find(std::string_view name, CommandMask command) const {
  for (const OptionSpec& spec : specs_) {
    if (spec.name == name && (spec.commands & command)) return &spec;
  }
  return nullptr;
}

Result<OptionValues> OptionTable::FromJson(std::string_view json_object, CommandMask command) const {
  // The syntax check bounds nesting before the recursive parser sees the text.
  const JsonSyntaxError syntax = FindJsonSyntaxError(json_object);
  if (syntax.offset != std::string_view::npos) {
    return InvalidArgumentError("options are not valid JSON: at byte " + std::to_string(syntax.offset) +
                                " expected " + syntax.expected);
  }
  const json object = json::parse(json_object, nullptr, false);
  if (!object.is_object()) return InvalidArgumentError("options must be a JSON object");
  OptionValues values;
  OptionValues::Impl& impl = values.impl();
  for (const auto& [key, value] : object.items()) {
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : specs_) {
      if (JsonKey(candidate.name) == key && (candidate.commands & command) && !candidate.cli_only) {
        spec = &candidate;
      }
    }
    if (spec == nullptr) return InvalidArgumentError("unknown option " + OptionRef(key));
    TP_ASSIGN_OR_RETURN(impl.values[spec->name], CheckJson(*spec, value));
    impl.given.insert(spec->name);
  }
  TP_RETURN_IF_ERROR(Complete(specs_, command, impl));
  return values;
}

Result<OptionValues> OptionTable::FromText(const std::map<std::string, std::vector<std::string>>& given,
                                           CommandMask command) const {
  OptionValues values;
  OptionValues::Impl& impl = values.impl();
  for (const auto& [name, texts] : given) {
    const OptionSpec* spec = Find(name, command);
    if (spec == nullptr) {
      return InvalidArgumentError("unknown option " + OptionRef(name));
    }
    json value;
    if (spec->type == ValueType::kStringList) {
      value = json::array();
      for (const std::string& text : texts) {
        size_t start = 0;
        while (true) {
          const size_t comma = spec->comma_list ? text.find(',', start) : std::string::npos;
          value.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
    } else if (spec->type == ValueType::kBool && texts.empty()) {
      value = true;
    } else {
      if (texts.empty()) return InvalidArgumentError(OptionRef(name) + " wants a value");
      TP_ASSIGN_OR_RETURN(value, ParseText(*spec, texts.back()));
    }
    TP_ASSIGN_OR_RETURN(impl.values[spec->name], CheckJson(*spec, value));
    impl.given.insert(spec->name);
  }
  TP_RETURN_IF_ERROR(Complete(specs_, command, impl));
  return values;
}

std::string OptionTable::JsonSchema(CommandMask command, std::string_view title) const {
  json properties = json::object();
  json required = json::array();
  for (const OptionSpec& spec : specs_) {
    if (!(spec.commands & command) || spec.cli_only) continue;
    json property = {{"type", JsonTypeOf(spec.type)}, {"description", WordOptionRefs(spec.doc, OptionStyle::kJson)}, {"x-group", spec.group}};
    if (spec.type == ValueType::kStringList) {
      json items = {{"type", "string"}};
      if (!spec.choices.empty()) items["enum"] = spec.choices;
      property["items"] = items;
    } else if (!spec.choices.empty()) {
      property["enum"] = spec.choices;
    }
    if (spec.type == ValueType::kInt) property["minimum"] = spec.min_int;
    // Whether the option is part of the canonical options in manifest.json.
    property["x-decides-output"] = spec.decides_output;
    if (!spec.cli_name.empty()) property["x-cli-name"] = spec.cli_name;
    if (!spec.default_json.empty()) property["default"] = json::parse(spec.default_json);
    properties[JsonKey(spec.name)] = property;
    if (spec.required) required.push_back(JsonKey(spec.name));
  }
  json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                 {"title", title},
                 {"type", "object"},
                 {"properties", properties},
                 {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return schema.dump(2);
}

std::string OptionTable::MarkdownTable(CommandMask command) const {
  std::vector<std::string> groups;
  for (const OptionSpec& spec : specs_) {
    if ((spec.commands & command) && std::find(groups.begin(), groups.end(), spec.group) == groups.end()) {
      groups.push_back(spec.group);
    }
  }
  std::string out;
  for (const std::string& group : groups) {
    out += "#### " + group + "\n\n| option | value | default | what it does |\n|---|---|---|---|\n";
    for (const OptionSpec& spec : specs_) {
      if (!(spec.commands & command) || spec.group != group) continue;
      std::string value;
      if (spec.positional) {
        value = "";
      } else if (!spec.choices.empty()) {
        value = ChoiceNames(spec, "\\|");
        if (spec.type == ValueType::kStringList) value += ",...";
      } else if (spec.type != ValueType::kBool) {
        value = spec.value_name.empty() ? std::string(JsonTypeOf(spec.type)) : spec.value_name;
      }
      std::string name = spec.positional ? spec.value_name : "`--" + CliName(spec) + "`";
      if (!spec.short_name.empty()) name = "`-" + spec.short_name + "`, " + name;
      std::string fallback = DefaultText(spec);
      if (!fallback.empty()) fallback = "`" + fallback + "`";
      if (spec.required) fallback = "required";
      std::string doc = WordOptionRefs(spec.doc, OptionStyle::kCli);
      for (size_t pos = 0; (pos = doc.find('|', pos)) != std::string::npos; pos += 2) doc.replace(pos, 1, "\\|");
      out += "| " + name + " | " + value + " | " + fallback + " | " + doc + " |\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace tunepack::options
