// Mapping records that are not in a dataset format to examples: `--text-field` picks the
// text of a document-like record; `--map role=path` builds a conversation from fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"

namespace tunepack::format {

// FieldMapping: one `--map ROLE=PATH`; PATH is a dotted path into the record ("a.b.c";
// a numeric part indexes an array).
struct FieldMapping {
  Role role = Role::kUser;
  std::string path;
};

// Parses "user=question" (roles: system, user, assistant).
Result<FieldMapping> ParseFieldMapping(std::string_view spec);

// RecordMapping: how to turn a plain record into an example.
struct RecordMapping {
  std::vector<FieldMapping> fields;  ///< conversation turns, in the order given
  std::string text_field;            ///< dotted path of the text, for text examples
  std::vector<std::string> metadata_fields;  ///< dotted paths copied into metadata
};

// Maps `record` to `out` (origin already set): a conversation when `mapping.fields` is not
// empty, otherwise a text example from `text_field`. A missing or non-string field is
// InvalidArgument naming the path. Each of `metadata_fields` present in the record is copied
// into `out.metadata` as minified JSON under its path; a missing one is skipped.
Status MapRecord(simdjson::dom::element record, const RecordMapping& mapping, Example& out);

// Returns the value at dotted `path` in `record`, or NotFound saying which part is missing.
// A numeric part indexes an array ("choices.0.text"); keys containing '.' cannot be reached.
Result<simdjson::dom::element> FindPath(simdjson::dom::element record, std::string_view path);

}  // namespace tunepack::format
