// Small readers for the fields of a tokenizer.json component (a simdjson DOM object), so the
// component parsers state what they expect and get a message naming the field otherwise.
// They differ from format/json_fields.h, which reads dataset records: a component's settings
// are mostly optional with Hugging Face's defaults (StringOr, BoolOr), null counts as absent,
// and a message names the key alone; a record's reader names the field's whole path
// ("messages[2].content") and keeps the fields it does not read.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "tunepack/core/result.h"

namespace tunepack::tokenize::hf {

using Json = simdjson::dom::element;

// Returns whether `object` has `key` with a non-null value.
inline bool Has(Json object, std::string_view key) {
  Json value;
  return object.at_key(key).get(value) == simdjson::SUCCESS && !value.is_null();
}

// Returns the value of `key` when present and not null.
inline std::optional<Json> Field(Json object, std::string_view key) {
  Json value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  return value;
}

inline Result<std::string_view> StringField(Json object, std::string_view key) {
  std::string_view value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) {
    return InvalidArgumentError("expected a string field \"" + std::string(key) + "\"");
  }
  return value;
}

inline std::string_view StringOr(Json object, std::string_view key, std::string_view fallback) {
  std::string_view value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

inline bool BoolOr(Json object, std::string_view key, bool fallback) {
  bool value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

inline Result<uint32_t> IdField(Json object, std::string_view key) {
  uint64_t value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS || value > UINT32_MAX) {
    return InvalidArgumentError("expected a token id field \"" + std::string(key) + "\"");
  }
  return static_cast<uint32_t>(value);
}

// Returns the "type" of a component, or an error naming `what` it was meant to be.
inline Result<std::string_view> TypeOf(Json object, std::string_view what) {
  std::string_view type;
  if (!object.is_object() || object.at_key("type").get(type) != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string(what) + " without a \"type\"");
  }
  return type;
}

// Pattern: a Split/Replace pattern, {"String": "..."} or {"Regex": "..."}.
struct PatternSpec {
  bool is_regex = false;
  std::string text;
};

inline Result<PatternSpec> PatternField(Json object) {
  Json pattern;
  if (object.at_key("pattern").get(pattern) != simdjson::SUCCESS || !pattern.is_object()) {
    return InvalidArgumentError("expected a \"pattern\" object");
  }
  std::string_view text;
  if (pattern.at_key("String").get(text) == simdjson::SUCCESS) return PatternSpec{false, std::string(text)};
  if (pattern.at_key("Regex").get(text) == simdjson::SUCCESS) return PatternSpec{true, std::string(text)};
  return InvalidArgumentError("a pattern must be {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace tunepack::tokenize::hf
