// SchemaInference: grows a schema to fit JSON records, then fixes it as a Field tree.
// Objects become structs (fields in first-seen order), arrays become lists, scalars their
// type; ints and doubles mixed give double; anything else mixed, only null, or an object
// that never has a field, is kept as JSON text.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "tunepack/parquet/parquet.h"

namespace tunepack::parquet::internal {

class SchemaInference {
 public:
  // Widens the schema to fit the object `record`.
  void Add(simdjson::dom::object record) { root_.kind = Kind::kObject; MergeObject(root_, record); }
  // Returns the schema so far as a root struct.
  Field Finish() const;

 private:
  enum class Kind { kUnknown, kBool, kInt, kDouble, kString, kObject, kList, kJson };
  struct Node {
    Kind kind = Kind::kUnknown;
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> fields;  // objects
    std::unordered_map<std::string, size_t> index;                      // name -> fields[]
    std::unique_ptr<Node> element;                                       // lists
  };
  static void Merge(Node& node, simdjson::dom::element value);
  static void MergeObject(Node& node, simdjson::dom::object object);
  static void Widen(Node& node, Kind kind);
  static Field ToField(const Node& node, std::string name);

  Node root_;
};

}  // namespace tunepack::parquet::internal
