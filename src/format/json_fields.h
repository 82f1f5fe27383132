// Reading fields of simdjson DOM records, with errors that name the field at fault, and
// finishing JSONL records. Shared by the JSONL format readers and writers so that every
// format reports a bad field the same way: InvalidArgument "<field>: <what is wrong>".
// (tokenize/hf/component_fields.h reads a tokenizer.json's components, whose settings are
// optional with defaults and whose messages need no path.)
#pragma once

#include "tunepack/format/json_type_name.h"

#include <array>
#include <initializer_list>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/result.h"
#include "tunepack/format/format.h"

namespace tunepack::format::internal {

// FieldPath: names a field for error messages ("messages[2].content") without building
// the string until an error needs it, so that reading a valid record makes no names. A
// FieldPath points at its parent: build them on the stack, down the call chain.
//
// Example:
//   FieldPath message(FieldPath("messages"), 2);
//   FieldPath content(message, "content");
//   content.str();  // "messages[2].content"
class FieldPath {
 public:
  FieldPath(const char* name) : name_(name) {}       // NOLINT: implicit, for literals
  FieldPath(std::string_view name) : name_(name) {}  // NOLINT: implicit
  // For a name built on an error path; the FieldPath must not outlive `name`.
  FieldPath(const std::string& name) : name_(name) {}  // NOLINT: implicit
  FieldPath(const FieldPath& parent, std::string_view key) : parent_(&parent), name_(key) {}
  FieldPath(const FieldPath& parent, size_t index)
      : parent_(&parent), index_(index), indexed_(true) {}

  // Returns the path as text.
  std::string str() const;

 private:
  const FieldPath* parent_ = nullptr;
  std::string_view name_;
  size_t index_ = 0;
  bool indexed_ = false;
};

// Returns a message of `role` holding `content` (the other fields at their defaults).
inline Message TextMessage(Role role, std::string content) {
  Message message;
  message.role = role;
  message.content = std::move(content);
  return message;
}

// Returns InvalidArgument "<field>: <what>".
Status FieldError(const FieldPath& field, std::string_view what);

// Returns "messages[3]" for ("messages", 3): the field path used in error messages.
std::string IndexedField(std::string_view field, size_t index);


// Returns the value at `key` in `object`, or nullopt when the key is absent.
std::optional<simdjson::dom::element> FindField(simdjson::dom::object object,
                                                std::string_view key);

// ObjectFields: the fields a reader takes from one object, found in one pass over it
// instead of one lookup per name: field(i) is the first field called names[i], as FindField
// finds it. Most objects of a record are messages of a few fields, read by the million.
//
// Example:
//   static constexpr std::array<std::string_view, 2> kNames = {"from", "value"};
//   ObjectFields<2> fields(turn, kNames);
//   if (fields.has_others()) CollectUnreadNestedFields(turn, {"from", "value"}, out, field);
//   TP_ASSIGN_OR_RETURN(std::string_view from, RequireString(fields.field(0), from_field));
template <size_t N>
class ObjectFields {
 public:
  ObjectFields(simdjson::dom::object object, const std::array<std::string_view, N>& names) {
    for (auto [key, value] : object) {
      size_t i = 0;
      while (i < N && names[i] != key) ++i;
      if (i == N) {
        others_ = others_ || !value.is_null();
      } else if (!found_[i]) {
        found_[i] = value;
      }
    }
  }
  // Returns the first field called names[i], or nullopt.
  const std::optional<simdjson::dom::element>& field(size_t i) const { return found_[i]; }
  // Returns true when the object holds a field not named, other than null (one that
  // CollectUnreadFields keeps).
  bool has_others() const { return others_; }

 private:
  std::array<std::optional<simdjson::dom::element>, N> found_;
  bool others_ = false;
};

// Returns `value` as an object / array / string, or InvalidArgument naming `field`.
Result<simdjson::dom::object> AsObject(simdjson::dom::element value, const FieldPath& field);
Result<simdjson::dom::array> AsArray(simdjson::dom::element value, const FieldPath& field);
Result<std::string_view> AsString(simdjson::dom::element value, const FieldPath& field);

// Returns the string at `key`; InvalidArgument naming `field` when absent or not a string.
Result<std::string_view> RequireString(simdjson::dom::object object, std::string_view key,
                                       const FieldPath& field);
// Returns the string at `key`, or nullopt when it is absent or null; InvalidArgument
// naming `field` when it holds another type.
Result<std::optional<std::string_view>> OptionalString(simdjson::dom::object object,
                                                       std::string_view key,
                                                       const FieldPath& field);

// The same for a field found already (ObjectFields): absent is nullopt.
Result<std::string_view> RequireString(const std::optional<simdjson::dom::element>& value, const FieldPath& field);
Result<std::optional<std::string_view>> OptionalString(const std::optional<simdjson::dom::element>& value,
                                                       const FieldPath& field);

// Returns true when `record` is an object whose `key` holds a value of `type`.
bool HasFieldOfType(simdjson::dom::element record, std::string_view key,
                    simdjson::dom::element_type type);

// Returns the minified JSON text of `value` (UTF-8 kept, as core/json_writer.h writes).
std::string MinifyJson(simdjson::dom::element value);

// Parses the JSON `text` and returns it minified; InvalidArgument naming `field` when it
// is not valid JSON. Uses a parser of its own, so elements of the caller's stay valid.
Result<std::string> MinifyJsonText(std::string_view text, const FieldPath& field);

// Reads the optional top-level "tools" of `record` into `out.tools`: an array of tool
// schemas, or a JSON string holding one (LLaMA-Factory stores it that way).
Status ReadToolsField(simdjson::dom::object record, Example& out);

// Reads the optional top-level "metadata" object of `record` (what writers add with
// WriteOptions::include_metadata) into `out.metadata`, one entry per key.
Status ReadMetadataField(simdjson::dom::object record, Example& out);

// Keeps in `out.unread_fields` every field of `record` that is not in `read` (the fields
// the format reads), so that none is dropped silently. `prefix` names a nested object
// ("messages[2]."); fields are kept under their path.
void CollectUnreadFields(simdjson::dom::object record,
                         std::initializer_list<std::string_view> read, Example& out,
                         std::string_view prefix = {});
// The same for a nested object named by `parent` ("messages[2]"), whose fields are kept
// under "messages[2].key": the prefix is built only when a field is kept (most objects
// have none, and a record has many).
void CollectUnreadNestedFields(simdjson::dom::object object, std::initializer_list<std::string_view> read,
                               Example& out, const FieldPath& parent);

// Writes back the unread fields of `example` named in `carried` (a format's
// carried_fields), as they were read.
void WriteCarriedFields(JsonObjectWriter& record, const Example& example,
                        const std::vector<std::string>& carried);

// LLaMA-Factory's media lists, which its sharegpt and alpaca readers take beside the turns.
const std::vector<std::string>& MediaFields();

// Adds "metadata" when `options` asks for it and the example has some, closes the object
// and ends the JSONL line. `out` is the buffer `record` writes to.
void FinishJsonlRecord(JsonObjectWriter& record, const Example& example,
                       const WriteOptions& options, std::string& out);

}  // namespace tunepack::format::internal
