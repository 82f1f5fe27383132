// Reading fields of simdjson DOM records, with errors that name the field at fault, and
// finishing JSONL records. Shared by the JSONL format readers and writers so that every
// format reports a bad field the same way: InvalidArgument "<field>: <what is wrong>".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"

namespace tunepack::format::internal {

// Returns InvalidArgument "<field>: <what>".
Status FieldError(std::string_view field, std::string_view what);

// Returns "messages[3]" for ("messages", 3): the field path used in error messages.
std::string IndexedField(std::string_view field, size_t index);

// Returns the JSON type of `value` as a word for messages: "string", "object", "null"...
std::string_view JsonTypeName(simdjson::dom::element value);

// Returns the value at `key` in `object`, or nullopt when the key is absent.
std::optional<simdjson::dom::element> FindField(simdjson::dom::object object,
                                                std::string_view key);

// Returns `value` as an object / array / string, or InvalidArgument naming `field`.
Result<simdjson::dom::object> AsObject(simdjson::dom::element value, std::string_view field);
Result<simdjson::dom::array> AsArray(simdjson::dom::element value, std::string_view field);
Result<std::string_view> AsString(simdjson::dom::element value, std::string_view field);

// Returns the string at `key`; InvalidArgument naming `field` when absent or not a string.
Result<std::string_view> RequireString(simdjson::dom::object object, std::string_view key,
                                       std::string_view field);
// Returns the string at `key`, or nullopt when it is absent or null; InvalidArgument
// naming `field` when it holds another type.
Result<std::optional<std::string_view>> OptionalString(simdjson::dom::object object,
                                                       std::string_view key,
                                                       std::string_view field);

// Returns true when `record` is an object whose `key` holds a value of `type`.
bool HasFieldOfType(simdjson::dom::element record, std::string_view key,
                    simdjson::dom::element_type type);

// Returns the minified JSON text of `value` (UTF-8 kept, as core/json_writer.h writes).
std::string MinifyJson(simdjson::dom::element value);

// Parses the JSON `text` and returns it minified; InvalidArgument naming `field` when it
// is not valid JSON. Uses a parser of its own, so elements of the caller's stay valid.
Result<std::string> MinifyJsonText(std::string_view text, std::string_view field);

// Reads the optional top-level "tools" of `record` into `out.tools`: an array of tool
// schemas, or a JSON string holding one (LLaMA-Factory stores it that way).
Status ReadToolsField(simdjson::dom::object record, Example& out);

// Reads the optional top-level "metadata" object of `record` (what writers add with
// WriteOptions::include_metadata) into `out.metadata`, one entry per key.
Status ReadMetadataField(simdjson::dom::object record, Example& out);

// Adds "metadata" when `options` asks for it and the example has some, closes the object
// and ends the JSONL line. `out` is the buffer `record` writes to.
void FinishJsonlRecord(JsonObjectWriter& record, const Example& example,
                       const WriteOptions& options, std::string& out);

}  // namespace tunepack::format::internal
