#include "format/tool_call_json.h"

#include "format/json_fields.h"
#include "tunepack/core/json_writer.h"

namespace tunepack::format::internal {

Status ReadFunctionObject(simdjson::dom::element value, const FieldPath& field, ToolCall& call) {
  TP_ASSIGN_OR_RETURN(simdjson::dom::object function, AsObject(value, field));
  const FieldPath name_field(field, "name");
  TP_ASSIGN_OR_RETURN(std::string_view name, RequireString(function, "name", name_field));
  if (name.empty()) return FieldError(name_field, "must not be empty");
  call.name = name;
  std::optional<simdjson::dom::element> arguments = FindField(function, "arguments");
  if (!arguments) return FieldError(FieldPath(field, "arguments"), "missing");
  std::string_view text;
  if (arguments->get_string().get(text) == simdjson::SUCCESS) {
    // Kept byte for byte: it is the caller's JSON text, and rewriting it would make
    // openai -> openai conversions change bytes nobody asked to change.
    call.arguments = text;
  } else {
    // An object where OpenAI wants a string is a common mistake (and LLaMA-Factory's own
    // form); minify it so that the writers always emit one type for this column.
    call.arguments = MinifyJson(*arguments);
  }
  return Status::Ok();
}

void AppendFunctionWithStringArguments(const ToolCall& call, std::string& out) {
  JsonObjectWriter function(out);
  function.String("name", call.name);
  function.String("arguments", call.arguments);
  function.Close();
}

Status AppendFunctionWithJsonArguments(const ToolCall& call, const FieldPath& field,
                                       std::string& out) {
  TP_ASSIGN_OR_RETURN(std::string arguments, MinifyJsonText(call.arguments, field));
  JsonObjectWriter function(out);
  function.String("name", call.name);
  function.Raw("arguments", arguments);
  function.Close();
  return Status::Ok();
}

}  // namespace tunepack::format::internal
