// The axolotl dataset types tunepack reads: for each, the tunepack format its records are
// read with and how a record is reshaped for that format (axolotl_records.cc).
#pragma once

#include <string_view>

#include <simdjson.h>

#include "tunepack/format/axolotl_dataset.h"

namespace tunepack::format::internal {

struct AxolotlType {
  std::string_view type;    ///< the entry's `type`
  std::string_view format;  ///< the tunepack format
  Result<std::string> (*reshape)(const AxolotlDataset& dataset, simdjson::dom::object record);
};

// Returns the type named `type`, or nullptr when tunepack does not read it.
const AxolotlType* FindAxolotlType(std::string_view type);

// Returns the names of the types tunepack reads, comma separated, for messages.
std::string AxolotlTypeNames();

}  // namespace tunepack::format::internal
