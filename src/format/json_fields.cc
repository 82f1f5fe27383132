#include "format/json_fields.h"

namespace tunepack::format {

std::string_view JsonTypeName(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

namespace internal {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string FieldPath::str() const {
  std::string out = parent_ != nullptr ? parent_->str() : std::string();
  if (indexed_) {
    out += '[';
    out += std::to_string(index_);
    out += ']';
  } else {
    if (parent_ != nullptr) out += '.';
    out += name_;
  }
  return out;
}

Status FieldError(const FieldPath& field, std::string_view what) {
  std::string message = field.str();
  message += ": ";
  message += what;
  return InvalidArgumentError(std::move(message));
}

std::string IndexedField(std::string_view field, size_t index) {
  std::string out(field);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}


std::optional<element> FindField(simdjson::dom::object object, std::string_view key) {
  element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

Result<simdjson::dom::object> AsObject(element value, const FieldPath& field) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return FieldError(field, "must be an object, not " + std::string(JsonTypeName(value)));
  }
  return object;
}

Result<simdjson::dom::array> AsArray(element value, const FieldPath& field) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return FieldError(field, "must be an array, not " + std::string(JsonTypeName(value)));
  }
  return array;
}

Result<std::string_view> AsString(element value, const FieldPath& field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return FieldError(field, "must be a string, not " + std::string(JsonTypeName(value)));
  }
  return text;
}

Result<std::string_view> RequireString(simdjson::dom::object object, std::string_view key,
                                       const FieldPath& field) {
  return RequireString(FindField(object, key), field);
}

Result<std::string_view> RequireString(const std::optional<element>& value, const FieldPath& field) {
  if (!value) return FieldError(field, "missing");
  return AsString(*value, field);
}

Result<std::optional<std::string_view>> OptionalString(simdjson::dom::object object,
                                                       std::string_view key,
                                                       const FieldPath& field) {
  return OptionalString(FindField(object, key), field);
}

Result<std::optional<std::string_view>> OptionalString(const std::optional<element>& value,
                                                       const FieldPath& field) {
  if (!value || value->is_null()) return std::optional<std::string_view>();
  TP_ASSIGN_OR_RETURN(std::string_view text, AsString(*value, field));
  return std::optional<std::string_view>(text);
}

bool HasFieldOfType(element record, std::string_view key, element_type type) {
  simdjson::dom::object object;
  if (record.get_object().get(object) != simdjson::SUCCESS) return false;
  std::optional<element> value = FindField(object, key);
  return value && value->type() == type;
}

std::string MinifyJson(element value) { return simdjson::minify(value); }

Result<std::string> MinifyJsonText(std::string_view text, const FieldPath& field) {
  // One parser per thread: readers run on worker threads, and a parser is not shareable.
  thread_local simdjson::dom::parser parser;
  element value;
  if (parser.parse(text.data(), text.size()).get(value) != simdjson::SUCCESS) {
    return FieldError(field, "is not valid JSON text");
  }
  return MinifyJson(value);
}

Status ReadToolsField(simdjson::dom::object record, Example& out) {
  std::optional<element> tools = FindField(record, "tools");
  if (!tools || tools->is_null()) return Status::Ok();
  if (tools->is_array()) {
    // An empty list offers no tools: the same as none, which every writer leaves out.
    if (tools->get_array().value_unsafe().size() > 0) out.tools = MinifyJson(*tools);
    return Status::Ok();
  }
  std::string_view text;
  if (tools->get_string().get(text) != simdjson::SUCCESS) {
    return FieldError("tools", "must be an array of tool schemas or a JSON string holding one, not " +
                                   std::string(JsonTypeName(*tools)));
  }
  if (text.empty()) return Status::Ok();
  TP_ASSIGN_OR_RETURN(std::string minified, MinifyJsonText(text, "tools"));
  if (minified.empty() || minified.front() != '[') {
    return FieldError("tools", "must hold a JSON array of tool schemas");
  }
  if (minified != "[]") out.tools = std::move(minified);
  return Status::Ok();
}

Status ReadMetadataField(simdjson::dom::object record, Example& out) {
  std::optional<element> metadata = FindField(record, "metadata");
  if (!metadata || metadata->is_null()) return Status::Ok();
  TP_ASSIGN_OR_RETURN(simdjson::dom::object object, AsObject(*metadata, "metadata"));
  for (auto [key, value] : object) out.metadata.SetJson(key, MinifyJson(value));
  return Status::Ok();
}

namespace {

// Calls `keep(key, value)` for each field of `object` that is not in `read` and not null.
template <typename Keep>
void ForEachUnreadField(simdjson::dom::object object, std::initializer_list<std::string_view> read, Keep&& keep) {
  for (auto [key, value] : object) {
    bool known = false;
    for (std::string_view name : read) known = known || name == key;
    // null holds nothing to lose (OpenAI's own exports carry "refusal": null on every turn).
    if (!known && !value.is_null()) keep(key, value);
  }
}

}  // namespace

void CollectUnreadFields(simdjson::dom::object record,
                         std::initializer_list<std::string_view> read, Example& out,
                         std::string_view prefix) {
  ForEachUnreadField(record, read, [&](std::string_view key, element value) {
    if (prefix.empty()) {
      out.unread_fields.SetJson(key, MinifyJson(value));
    } else {
      out.unread_fields.SetJson(std::string(prefix) + std::string(key), MinifyJson(value));
    }
  });
}

void CollectUnreadNestedFields(simdjson::dom::object object, std::initializer_list<std::string_view> read,
                               Example& out, const FieldPath& parent) {
  std::string prefix;
  ForEachUnreadField(object, read, [&](std::string_view key, element value) {
    if (prefix.empty()) prefix = parent.str() + ".";
    out.unread_fields.SetJson(prefix + std::string(key), MinifyJson(value));
  });
}

void WriteCarriedFields(JsonObjectWriter& record, const Example& example,
                        const std::vector<std::string>& carried) {
  for (const MetadataEntry& entry : example.unread_fields.entries()) {
    for (const std::string& name : carried) {
      if (entry.key == name) record.Raw(entry.key, entry.json);
    }
  }
}

const std::vector<std::string>& MediaFields() {
  static const std::vector<std::string> fields = {"images", "videos", "audios"};
  return fields;
}

void FinishJsonlRecord(JsonObjectWriter& record, const Example& example,
                       const WriteOptions& options, std::string& out) {
  if (options.include_metadata && !example.metadata.empty()) {
    example.metadata.AppendJsonObject(record.Key("metadata"));
  }
  record.Close();
  out.push_back('\n');
}

}  // namespace internal
}  // namespace tunepack::format
