// Datasets described by LLaMA-Factory's dataset_info.json: an entry names a dataset's
// formatting (alpaca, sharegpt or openai), whether it is ranked (preference pairs), which
// column holds each field (`columns`) and, for conversations, which keys and role names its
// turns use (`tags`). tunepack reads such a dataset as LLaMA-Factory does by renaming each
// record's fields and roles to those of the matching tunepack format, then reading it with
// that format: every check and refusal of the format applies unchanged.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "tunepack/core/document.h"
#include "tunepack/core/result.h"
#include "tunepack/format/record_layout.h"

namespace tunepack::format {

// DatasetLayout: one dataset_info.json entry, resolved against LLaMA-Factory's defaults.
struct DatasetLayout {
  std::string name;    ///< the entry's key
  std::string format;  ///< the tunepack format the renamed records are read with
  using Renames = std::vector<std::pair<std::string, std::string>>;  ///< {dataset's, tunepack's}
  Renames columns;      ///< top-level fields
  Renames turn_keys;    ///< keys of each turn (role and content tags)
  Renames role_values;  ///< role names (user, assistant, observation, function, system tags)
  std::vector<std::string> turn_fields;  ///< tunepack fields holding turns or one turn
  // Every tunepack field a column of this formatting can become: a record field of such a
  // name that the entry does not name as a column is refused (LLaMA-Factory ignores it).
  std::vector<std::string> fields;
};

// Reads the entry `name` of the dataset_info.json at `path`. Errors name the file and the
// entry, and list the entries when `name` is not one.
Result<DatasetLayout> LoadDatasetLayout(const std::string& path, std::string_view name);

// The same from the file's text `json`; `path` only names the file in errors.
Result<DatasetLayout> ParseDatasetLayout(std::string_view json, std::string_view name, const std::string& path);

// Returns `record` (a JSON object) with its fields and turns renamed by `layout`, as JSON
// text for the layout's format to read. A field left unnamed by the entry is kept as it is;
// one whose name is also the new name of a renamed field is an error (it would be lost).
Result<std::string> RenameRecord(const DatasetLayout& layout, simdjson::dom::object record);

// For a layout whose entry names a kto_tag column (LLaMA-Factory's KTO data): turns
// `example`, a conversation read from such a record, into an unpaired preference as
// LLaMA-Factory reads it: the last turn, an assistant's, is the completion, desirable when the
// tag is true. Does nothing for other layouts. An error when the tag is missing or not a
// boolean, or the conversation does not end with an assistant turn.
Status ApplyKtoTag(const DatasetLayout& layout, Example& example);

// Returns `layout` as the RecordLayout an export reads its records with: RenameRecord, then
// ApplyKtoTag.
std::shared_ptr<const RecordLayout> MakeRecordLayout(DatasetLayout layout);

}  // namespace tunepack::format
