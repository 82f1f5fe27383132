// ReadSchema: the tree a reader assembles records with, built from a file's flat schema.
// It understands the standard three-level lists, the legacy two-level ones, bare repeated
// fields and maps (read as lists of {key, value}), so files from other writers read too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/value_decoder.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

struct ReadNode {
  enum class Kind { kLeaf, kStruct, kList };
  Kind kind = Kind::kLeaf;
  std::string name;
  bool optional = false;
  uint32_t def = 0;           // definition level when present (non-null)
  uint32_t def_nonempty = 0;  // lists: definition level when the list has an element
  uint32_t rep = 0;           // lists: repetition level of their elements
  bool map = false;           // lists of {key, value} read as one JSON object (Parquet MAP)
  size_t first_leaf = 0;
  size_t end_leaf = 0;
  std::vector<ReadNode> children;  // struct fields; a list's one element
};

struct ReadLeaf {
  std::string path;  // dotted, for messages
  LeafType type;
  uint32_t max_def = 0;
  uint32_t max_rep = 0;
};

struct ReadSchema {
  ReadNode root;  // a struct: the record
  std::vector<ReadLeaf> leaves;
  Field field;  // the same, as the public Field tree
};

// Builds the read schema from `elements`. Errors (DataLoss) describe the malformed schema.
Result<ReadSchema> BuildReadSchema(const std::vector<SchemaElement>& elements);

}  // namespace tunepack::parquet::internal
