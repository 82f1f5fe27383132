#include "parquet/schema_inference.h"

namespace tunepack::parquet::internal {

void SchemaInference::Widen(Node& node, Kind kind) {
  if (node.kind == kind || node.kind == Kind::kJson) return;
  if (node.kind == Kind::kUnknown) {
    node.kind = kind;
    return;
  }
  const bool numbers = (node.kind == Kind::kInt || node.kind == Kind::kDouble) &&
                       (kind == Kind::kInt || kind == Kind::kDouble);
  node.kind = numbers ? Kind::kDouble : Kind::kJson;
  if (node.kind == Kind::kJson) {
    node.fields.clear();
    node.index.clear();
    node.element.reset();
  }
}

void SchemaInference::MergeObject(Node& node, simdjson::dom::object object) {
  for (auto [key, value] : object) {
    const std::string name(key);
    auto it = node.index.find(name);
    if (it == node.index.end()) {
      it = node.index.emplace(name, node.fields.size()).first;
      node.fields.emplace_back(name, std::make_unique<Node>());
    }
    Merge(*node.fields[it->second].second, value);
  }
}

void SchemaInference::Merge(Node& node, simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return;  // fits any type
    case simdjson::dom::element_type::BOOL:
      return Widen(node, Kind::kBool);
    case simdjson::dom::element_type::INT64:
      return Widen(node, Kind::kInt);
    case simdjson::dom::element_type::UINT64:  // beyond int64: only JSON text keeps it exact
      return Widen(node, Kind::kJson);
    case simdjson::dom::element_type::DOUBLE:
      return Widen(node, Kind::kDouble);
    case simdjson::dom::element_type::STRING:
      return Widen(node, Kind::kString);
    case simdjson::dom::element_type::OBJECT:
      Widen(node, Kind::kObject);
      if (node.kind == Kind::kObject) MergeObject(node, value.get_object().value_unsafe());
      return;
    case simdjson::dom::element_type::ARRAY:
      Widen(node, Kind::kList);
      if (node.kind != Kind::kList) return;
      if (!node.element) node.element = std::make_unique<Node>();
      const simdjson::dom::array array = value.get_array().value_unsafe();  // copy: the result is a temporary
      for (simdjson::dom::element item : array) Merge(*node.element, item);
      return;
  }
}

Field SchemaInference::ToField(const Node& node, std::string name) {
  Field field;
  field.name = std::move(name);
  switch (node.kind) {
    case Kind::kBool: field.kind = FieldKind::kBool; break;
    case Kind::kInt: field.kind = FieldKind::kInt64; break;
    case Kind::kDouble: field.kind = FieldKind::kDouble; break;
    case Kind::kString: field.kind = FieldKind::kString; break;
    case Kind::kUnknown:
    case Kind::kJson: field.kind = FieldKind::kJson; break;
    case Kind::kObject:
      // Parquet has no empty groups: an object never seen with a field stays JSON text.
      field.kind = node.fields.empty() ? FieldKind::kJson : FieldKind::kStruct;
      for (const auto& [child_name, child] : node.fields) field.children.push_back(ToField(*child, child_name));
      break;
    case Kind::kList:
      field.kind = FieldKind::kList;
      field.children.push_back(node.element ? ToField(*node.element, "element") : Field{"element", FieldKind::kJson, {}});
      break;
  }
  return field;
}

Field SchemaInference::Finish() const {
  Field root = ToField(root_, "schema");
  root.kind = FieldKind::kStruct;
  return root;
}

}  // namespace tunepack::parquet::internal
