// Converts between tunepack's Field tree and Parquet's flat SchemaElement list (depth-first,
// each group followed by its children).
#pragma once

#include <vector>

#include "parquet/metadata.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

// Returns the schema elements of `root` (a struct) as tunepack writes them: every field
// optional; strings UTF8/STRING, JSON text JSON; lists in the standard three-level form.
std::vector<SchemaElement> SchemaElementsOf(const Field& root);

}  // namespace tunepack::parquet::internal
