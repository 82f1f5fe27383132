// The function half of a tool call, {"name": ..., "arguments": ...}, which OpenAI nests in
// tool_calls[].function and LLaMA-Factory's ShareGPT writes as a function_call turn's value.
// OpenAI wants `arguments` as a JSON *string*, LLaMA-Factory as a JSON value; ToolCall keeps
// the JSON text, so each side converts here and nowhere else.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "format/json_fields.h"
#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format::internal {

// Reads `value` = {"name": string, "arguments": string | JSON value} into `call.name` and
// `call.arguments` (a JSON value is minified into text). InvalidArgument names `field`.
Status ReadFunctionObject(simdjson::dom::element value, const FieldPath& field, ToolCall& call);

// Appends {"name":...,"arguments":"<JSON text as a string>"} (OpenAI).
void AppendFunctionWithStringArguments(const ToolCall& call, std::string& out);

// Appends {"name":...,"arguments":<JSON value>} (LLaMA-Factory). InvalidArgument naming
// `field` when `call.arguments` is not JSON text.
Status AppendFunctionWithJsonArguments(const ToolCall& call, const FieldPath& field,
                                       std::string& out);

}  // namespace tunepack::format::internal
