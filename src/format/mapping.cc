// --map ROLE=PATH and --text-field: turning records that are in no dataset format into
// examples, by naming the fields that hold each turn or the text.
#include "tunepack/format/mapping.h"

#include <charconv>

#include "format/json_fields.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::format {
namespace {

using simdjson::dom::element;

// Returns how an error names the value holding path[0, end): "'a.b'" or "the record".
std::string Parent(std::string_view path, size_t part_begin) {
  if (part_begin == 0) return "the record";
  return "'" + std::string(path.substr(0, part_begin - 1)) + "'";
}

// Returns the string at `path`, or InvalidArgument naming the path and the flag it came from.
Result<std::string_view> StringAt(element record, std::string_view path, std::string_view flag) {
  Result<element> value = FindPath(record, path);
  const std::string where = "field '" + std::string(path) + "' (" + std::string(flag) + ")";
  if (!value) return InvalidArgumentError(where + ": " + value.error().message());
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) {
    return InvalidArgumentError(where + ": must be a string, not " +
                                std::string(JsonTypeName(*value)));
  }
  return text;
}

}  // namespace

Result<FieldMapping> ParseFieldMapping(std::string_view spec) {
  const size_t equals = spec.find('=');
  if (equals == std::string_view::npos) {
    return InvalidArgumentError(OptionRef("map") + " '" + std::string(spec) + "': expected ROLE=PATH, e.g. user=question");
  }
  const std::string_view role_name = spec.substr(0, equals);
  const std::string_view path = spec.substr(equals + 1);
  Result<Role> role = ParseRole(role_name);
  if (!role || *role == Role::kTool) {
    return InvalidArgumentError(OptionRef("map") + " '" + std::string(spec) + "': role '" +
                                std::string(role_name) + "' is not system, user or assistant");
  }
  if (path.empty()) return InvalidArgumentError(OptionRef("map") + " '" + std::string(spec) + "': empty path");
  return FieldMapping{*role, std::string(path)};
}

Result<element> FindPath(element record, std::string_view path) {
  if (path.empty()) return InvalidArgumentError("empty path");
  element current = record;
  size_t begin = 0;
  while (true) {
    size_t end = path.find('.', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(begin, end - begin);
    const std::string so_far(path.substr(0, end));
    if (part.empty()) return InvalidArgumentError("empty part in path '" + std::string(path) + "'");
    if (current.is_object()) {
      if (current.get_object().value_unsafe().at_key(part).get(current) != simdjson::SUCCESS) {
        return NotFoundError("no field '" + so_far + "'");
      }
    } else if (current.is_array()) {
      size_t index = 0;
      const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || ptr != part.data() + part.size()) {
        return NotFoundError(Parent(path, begin) + " is an array, and '" + std::string(part) +
                             "' is not an index");
      }
      if (current.get_array().value_unsafe().at(index).get(current) != simdjson::SUCCESS) {
        return NotFoundError("no element '" + so_far + "'");
      }
    } else {
      return NotFoundError("no field '" + so_far + "' (" + Parent(path, begin) + " is " +
                           std::string(JsonTypeName(current)) + ")");
    }
    if (end == path.size()) return current;
    begin = end + 1;
  }
}

Status MapRecord(element record, const RecordMapping& mapping, Example& out) {
  if (!mapping.fields.empty()) {
    out.kind = ExampleKind::kConversation;
    for (const FieldMapping& field : mapping.fields) {
      const std::string flag = OptionRef("map") + " " + std::string(RoleName(field.role)) + "=" + field.path;
      TP_ASSIGN_OR_RETURN(std::string_view text, StringAt(record, field.path, flag));
      Message& message = out.messages.emplace_back();
      message.role = field.role;
      message.content = text;
    }
  } else if (!mapping.text_field.empty()) {
    out.kind = ExampleKind::kText;
    TP_ASSIGN_OR_RETURN(std::string_view text,
                        StringAt(record, mapping.text_field, OptionRef("text-field")));
    out.text = text;
  } else {
    return InvalidArgumentError("no mapping: give " + OptionRef("text-field") + " or " + OptionRef("map") + " ROLE=PATH");
  }
  // Metadata is optional per record: a path missing from this record is skipped.
  for (const std::string& path : mapping.metadata_fields) {
    Result<element> value = FindPath(record, path);
    if (value) out.metadata.SetJson(path, internal::MinifyJson(*value));
  }
  return Status::Ok();
}

}  // namespace tunepack::format
