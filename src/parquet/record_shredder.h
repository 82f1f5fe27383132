// RecordShredder: cuts JSON records into leaf columns with repetition and definition
// levels (the Dremel encoding Parquet uses for nested data), following a fixed schema.
// Every node is optional; a list is the standard three-level group
// `optional group name (LIST) { repeated group list { optional element } }`.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "parquet/leaf_column.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

class RecordShredder {
 public:
  // Prepares the leaf columns of `root` (a struct: the record).
  explicit RecordShredder(const Field& root);

  // Returns OK when `record` fits the schema, or InvalidArgument naming the first field
  // that does not (unknown field, other type). Nothing is written.
  Status Check(simdjson::dom::object record) const;
  // Appends `record` (which Check accepted) to the leaf columns.
  void Shred(simdjson::dom::object record);

  std::vector<LeafColumn>& leaves() { return leaves_; }

 private:
  struct Node {
    std::string name;
    FieldKind kind = FieldKind::kString;
    uint32_t def = 0;  // definition level when this node is present
    uint32_t rep = 0;  // lists: the repetition level of their elements
    size_t first_leaf = 0;
    size_t end_leaf = 0;
    std::vector<Node> children;
    std::unordered_map<std::string, size_t> index;  // structs: child name -> children[]
  };
  Node Build(const Field& field, uint32_t parent_def, uint32_t parent_rep, std::vector<std::string> path);
  Status CheckValue(const Node& node, simdjson::dom::element value, const std::string& where) const;
  Status CheckObject(const Node& node, simdjson::dom::object object, const std::string& where) const;
  void Null(const Node& node, uint32_t rep);
  void Value(const Node& node, simdjson::dom::element value, uint32_t rep);
  void Object(const Node& node, simdjson::dom::object object, uint32_t rep);

  std::vector<LeafColumn> leaves_;
  Node root_;
  std::vector<const simdjson::dom::element*> scratch_;
};

}  // namespace tunepack::parquet::internal
